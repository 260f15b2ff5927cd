using System.CommandLine;
using NeuralAtlas.LinearAlgebra;
using NeuralAtlas.Symmetry.Intertwiners;
using NeuralAtlas.Tensors;

namespace NeuralAtlas.Cli.Commands.Symmetry;

/// <summary><c>atlas intertwiners</c>: each activation's intertwiner group, checked numerically.</summary>
public sealed class IntertwinersCommand : ICliCommand
{
    public Command Create()
    {
        var activation = new Option<string?>("--activation") { Description = "One activation (default: all of them)." };
        var n = new Option<int>("--n") { Description = "Dimension of the layer the group acts on.", DefaultValueFactory = _ => 6 };
        var seed = new Option<int>("--seed") { Description = "Seed of the sampled elements and test inputs.", DefaultValueFactory = _ => 0 };
        var samples = new Option<int>("--samples") { Description = "Random inputs x ~ N(0, 4I) per check.", DefaultValueFactory = _ => 400 };
        var cmd = new Command("intertwiners",
            "For each nonlinearity σ: its intertwiner group G_σ = {A : σ(Ax) = Bσ(x)}, a sampled element with its B and the " +
            "residual max|σ(Ax) − Bσ(x)|, and transformations outside the group (scaling by 2, a sign flip, a dense matrix) " +
            "with the least-squares residual min_B ‖σ(AX) − Bσ(X)‖/‖σ(AX)‖ showing that no linear B exists.")
        { activation, n, seed, samples };
        cmd.SetAction(parse =>
        {
            int dim = parse.GetValue(n), count = parse.GetValue(samples);
            if (dim < 2) throw new AtlasArgumentException("--n", $"must be ≥ 2, got {dim}");
            if (count < 4 * dim) throw new AtlasArgumentException("--samples", $"must be ≥ 4n = {4 * dim}, got {count}");
            var names = parse.GetValue(activation) is { } one ? new[] { one } : Activation.Names.ToArray();
            var o = parse.InvocationConfiguration.Output;
            o.WriteLine("activation\ttransformation\tin_group\tmax|σ(Ax)−Bσ(x)|\tbest_linear_B_residual");
            foreach (string name in names)
            {
                var g = IntertwinerGroup.For(name);
                var rng = new Rng(parse.GetValue(seed));
                var a = g.Sample(dim, rng);
                var b = g.MatchingB(a);
                o.WriteLine($"{g.Activation.Name}\tsampled ({g.Kind})\tyes\t{IntertwinerCheck.MaxResidual(g.Activation, a, b, count, rng):E2}\t" +
                            $"{IntertwinerCheck.BestLinearResidual(g.Activation, a, count, rng):E2}");
                foreach (var (label, t) in Outside(dim, rng))
                {
                    bool member = g.IsMember(t);
                    o.WriteLine($"{g.Activation.Name}\t{label}\t{(member ? "yes" : "no")}\t-\t{IntertwinerCheck.BestLinearResidual(g.Activation, t, count, rng):E2}");
                }
            }
            return 0;
        });
        return cmd;
    }

    private static IEnumerable<(string, DMatrix)> Outside(int n, Rng rng)
    {
        var scale = DMatrix.Identity(n);
        for (int i = 0; i < n; i++) scale[i, i] = 2;
        yield return ("scale by 2", scale);
        var flip = DMatrix.Identity(n);
        flip[0, 0] = -1;
        yield return ("flip sign of unit 0", flip);
        var dense = DMatrix.Identity(n);
        for (int i = 0; i < dense.Data.Length; i++) dense.Data[i] += rng.Normal() / Math.Sqrt(n);
        yield return ("dense I + N(0, 1/n)", dense);
    }
}
