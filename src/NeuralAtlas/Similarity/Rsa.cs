using NeuralAtlas.LinearAlgebra;

namespace NeuralAtlas.Similarity;

/// <summary>How representational dissimilarity matrices are built.</summary>
public enum RdmKind
{
    /// <summary>1 − Pearson correlation between two samples' activation vectors (Kriegeskorte et al. 2008).</summary>
    Correlation,
    /// <summary>Euclidean distance between samples.</summary>
    Euclidean,
}

/// <summary>How the two RDMs' upper triangles are compared.</summary>
public enum RdmComparison
{
    /// <summary>Spearman rank correlation (ties get their average rank).</summary>
    Spearman,
    Pearson,
}

/// <summary>
/// Representational similarity analysis (Kriegeskorte, Mur, Bandettini 2008): build each representation's
/// n×n dissimilarity matrix and correlate their n(n−1)/2 upper-triangle entries. Memory O(n²).
/// </summary>
public sealed class Rsa : SimilarityMeasure
{
    public Rsa(RdmKind rdm = RdmKind.Correlation, RdmComparison compare = RdmComparison.Spearman)
    {
        Rdm = rdm;
        Compare = compare;
        // Correlation distance centers and scales each sample across its features: scale and unit relabelling
        // cannot change it, but rotations and offsets of feature space can.
        var inv = Invariances.IsotropicScaling | Invariances.Permutation;
        if (rdm == RdmKind.Euclidean) inv |= Invariances.Orthogonal | Invariances.Translation;
        Traits = new MeasureTraits(false, true, true, inv, 3);
    }

    public RdmKind Rdm { get; }
    public RdmComparison Compare { get; }

    public override string Name => "rsa";
    public override string Description =>
        $"RSA: {Compare.ToString().ToLowerInvariant()} correlation of {Rdm.ToString().ToLowerInvariant()} dissimilarity matrices (Kriegeskorte et al. 2008), in [-1, 1]";
    public override MeasureTraits Traits { get; }

    protected override double ComputeCore(DMatrix x, DMatrix y)
    {
        var a = UpperTriangle(x, "X");
        var b = UpperTriangle(y, "Y");
        if (Compare == RdmComparison.Spearman)
        {
            a = Ranks(a);
            b = Ranks(b);
        }
        return Pearson(a, b);
    }

    /// <summary>The RDM's entries (i &lt; j) in row order, like scipy.spatial.distance.pdist.</summary>
    public double[] UpperTriangle(DMatrix x, string argument = "X")
    {
        int n = x.Rows, d = x.Cols;
        var z = x.Clone();
        if (Rdm == RdmKind.Correlation)
        {
            for (int i = 0; i < n; i++)
            {
                var row = z.Row(i);
                double mean = 0;
                foreach (double v in row) mean += v;
                mean /= d;
                double ss = 0;
                for (int j = 0; j < d; j++) { row[j] -= mean; ss += row[j] * row[j]; }
                if (!(ss > 0))
                    throw new AtlasArgumentException(argument, $"rsa: sample {i} has the same value in every unit, so its correlation distance is undefined (use rdm=euclidean)");
                double inv = 1 / Math.Sqrt(ss);
                for (int j = 0; j < d; j++) row[j] *= inv;
            }
        }
        var result = new double[(long)n * (n - 1) / 2];
        var data = z.Data;
        long idx = 0;
        for (int i = 0; i < n; i++)
            for (int j = i + 1; j < n; j++)
            {
                double s = 0;
                int bi = i * d, bj = j * d;
                if (Rdm == RdmKind.Correlation)
                {
                    for (int k = 0; k < d; k++) s += data[bi + k] * data[bj + k];
                    result[idx++] = 1 - s;
                }
                else
                {
                    for (int k = 0; k < d; k++) { double t = data[bi + k] - data[bj + k]; s += t * t; }
                    result[idx++] = Math.Sqrt(s);
                }
            }
        return result;
    }

    /// <summary>Ranks 1..m with ties sharing their average rank.</summary>
    public static double[] Ranks(double[] v)
    {
        int m = v.Length;
        var order = Enumerable.Range(0, m).ToArray();
        Array.Sort((double[])v.Clone(), order);
        var r = new double[m];
        for (int i = 0; i < m;)
        {
            int j = i;
            while (j + 1 < m && v[order[j + 1]] == v[order[i]]) j++;
            double avg = 0.5 * (i + j) + 1;
            for (int k = i; k <= j; k++) r[order[k]] = avg;
            i = j + 1;
        }
        return r;
    }

    private static double Pearson(double[] a, double[] b)
    {
        double ma = a.Average(), mb = b.Average();
        double sab = 0, saa = 0, sbb = 0;
        for (int i = 0; i < a.Length; i++)
        {
            double u = a[i] - ma, w = b[i] - mb;
            sab += u * w;
            saa += u * u;
            sbb += w * w;
        }
        if (!(saa > 0) || !(sbb > 0))
            throw new AtlasArgumentException(saa > 0 ? "Y" : "X", "rsa: every pairwise dissimilarity is equal, so their correlation is undefined");
        return Math.Clamp(sab / Math.Sqrt(saa * sbb), -1, 1);
    }
}
