using System.CommandLine;
using NeuralAtlas.IO;
using NeuralAtlas.Symmetry.PartitionAlgebra;

namespace NeuralAtlas.Cli.Commands.Symmetry;

/// <summary><c>atlas equivariant basis|apply</c>: permutation-equivariant linear maps from the partition algebra.</summary>
public sealed class EquivariantCommand : ICliCommand
{
    public Command Create()
    {
        var cmd = new Command("equivariant",
            "Permutation-equivariant linear maps (R^n)^⊗k → (R^n)^⊗l: their basis (set partitions of l+k points) and fast " +
            "multiplication through the diagram basis, never forming the dense n^l × n^k matrix. See docs/partition-algebra.md.");
        cmd.Subcommands.Add(Basis());
        cmd.Subcommands.Add(Apply());
        return cmd;
    }

    private static Option<int> Order(string name, string what) => new(name)
    {
        Description = $"The {what} order: number of tensor axes of size n (≥ 0; k + l ≤ {SetPartitions.MaxPoints}).",
        Required = true,
    };

    private static Option<int> SetSize() => new("--n")
    {
        Description = "The set size n that S_n permutes (the length of every axis).",
        Required = true,
    };

    private static Command Basis()
    {
        var k = Order("--k", "input");
        var l = Order("--l", "output");
        var n = SetSize();
        var showMu = new Option<bool>("--moebius")
        {
            Description = "Also print the nonzero Möbius coefficients μ(π, σ) of X_π = Σ_σ μ(π, σ) D_σ.",
        };
        var cmd = new Command("basis",
            "List the set partitions indexing the diagram and orbit bases of Hom_{S_n}((R^n)^⊗k, (R^n)^⊗l), in the order " +
            "coefficient vectors use, and the dimension Σ_{t≤n} S(k+l, t). Output axes are written 1..l, input axes 1'..k'.")
        { k, l, n, showMu };
        cmd.SetAction(parse =>
        {
            var o = parse.InvocationConfiguration.Output;
            var basis = new EquivariantBasis(parse.GetValue(k), parse.GetValue(l), parse.GetValue(n));
            int m = basis.K + basis.L;
            o.WriteLine($"# Hom_S{basis.N}((R^{basis.N})^⊗{basis.K}, (R^{basis.N})^⊗{basis.L}): partitions of {m} points into at most {basis.N} blocks");
            o.WriteLine("index\tblocks\tpartition\tinput_only\tshared\toutput_only");
            for (int i = 0; i < basis.Dimension; i++)
            {
                var p = basis.Partitions[i];
                var d = new DiagramProduct(p, basis.N);
                o.WriteLine($"{i}\t{p.BlockCount}\t{p}\t{d.InputOnlyBlocks}\t{d.SharedBlocks}\t{d.OutputOnlyBlocks}");
            }
            o.WriteLine($"dimension\t{basis.Dimension}");
            o.WriteLine($"bell({m})\t{SetPartitions.Bell(m)}");
            o.WriteLine("stirling\t" + string.Join(" ", Enumerable.Range(1, m).Select(t => $"S({m},{t})={SetPartitions.Stirling2(m, t)}")));
            if (parse.GetValue(showMu))
            {
                var mt = new MobiusTransform(basis);
                o.WriteLine("# moebius: fine\tcoarse\tmu");
                for (int i = 0; i < basis.Dimension; i++)
                    for (int j = 0; j < basis.Dimension; j++)
                    {
                        long mu = mt.Mu(i, j);
                        if (mu != 0) o.WriteLine($"{i}\t{j}\t{mu}");
                    }
            }
            return 0;
        });
        return cmd;
    }

    private static Command Apply()
    {
        var k = Order("--k", "input");
        var l = Order("--l", "output");
        var n = SetSize();
        var coeffs = new Option<string>("--coeffs")
        {
            Description = "A .npy vector with one coefficient per basis element, in the order 'atlas equivariant basis' lists.",
            Required = true,
        };
        var input = new Option<string>("--input")
        {
            Description = "A .npy tensor whose last k axes have size n; leading axes are a batch.",
            Required = true,
        };
        var output = new Option<string>("--out")
        {
            Description = "Where to write the result (.npy, float64): the batch axes followed by l axes of size n.",
            Required = true,
        };
        var kind = new Option<BasisKind>("--basis")
        {
            Description = "Which basis the coefficients refer to: Diagram (equalities only) or Orbit (exact equality pattern).",
            DefaultValueFactory = _ => BasisKind.Diagram,
        };
        var cmd = new Command("apply",
            "Apply the equivariant map Σ c_π E_π (E = diagram or orbit basis) to a tensor by per-block diagonal, sum, copy " +
            "and broadcast operations, O(n^k + n^l) work per basis element.")
        { k, l, n, coeffs, input, output, kind };
        cmd.SetAction(parse =>
        {
            var basis = new EquivariantBasis(parse.GetValue(k), parse.GetValue(l), parse.GetValue(n));
            string cPath = parse.GetValue(coeffs)!, xPath = parse.GetValue(input)!, yPath = parse.GetValue(output)!;
            var c = Npy.Read(cPath);
            if (c.Rank != 1)
                throw new AtlasArgumentException("--coeffs", $"{cPath}: expected a vector of {basis.Dimension} coefficients, got shape ({string.Join(", ", c.Shape)})");
            double[] cv = c.ToDoubles();
            basis.RequireCoefficients(cv, $"--coeffs {cPath}");
            var x = Npy.Read(xPath);
            var map = new EquivariantMap(basis, cv, parse.GetValue(kind));
            double[] xd = x.ToDoubles();
            for (int i = 0; i < xd.Length; i++)
                if (!double.IsFinite(xd[i])) throw new AtlasArgumentException("--input", $"{xPath}: entry {i} is {xd[i]}; values must be finite");
            (double[] y, int[] shape) = map.ApplyBatch(xd, x.Shape);
            Npy.Write(yPath, y, shape);
            parse.InvocationConfiguration.Output.WriteLine($"wrote {yPath}: shape ({string.Join(", ", shape)}), {basis.Dimension} basis elements");
            return 0;
        });
        return cmd;
    }
}
