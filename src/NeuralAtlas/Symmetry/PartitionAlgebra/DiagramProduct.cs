namespace NeuralAtlas.Symmetry.PartitionAlgebra;

/// <summary>
/// Multiplies one diagram basis element D_π with a tensor x ∈ (R^n)^{⊗k} without forming the n^l × n^k matrix
/// (Pearce-Crump's factorisation, 2303.06208). (D_π x)_I = Σ_J [ (I, J) constant on every block of π ] x_J, and
/// the blocks of π act independently:
/// <list type="bullet">
/// <item>a block with input axes only: take the diagonal of x over those axes and sum it out;</item>
/// <item>a block with input and output axes: take the diagonal over the input axes and copy it onto the
/// diagonal of the output axes;</item>
/// <item>a block with output axes only: broadcast (the output is constant along that block's diagonal).</item>
/// </list>
/// So the work is n^(#blocks touching the input) reads and n^(#blocks touching the output) writes, both at most
/// n^k and n^l, instead of n^(k+l) for the dense product.
/// </summary>
public sealed class DiagramProduct
{
    // Gather loops over the blocks touching the input, scatter over the blocks touching the output; each block
    // moves the offsets of all its axes together.
    private readonly long[] _gatherInStride;
    private readonly long[] _gatherMidStride;
    private readonly long[] _scatterMidStride;
    private readonly long[] _scatterOutStride;

    public SetPartition Partition { get; }
    public int N { get; }
    public int InputOnlyBlocks { get; }
    public int SharedBlocks { get; }
    public int OutputOnlyBlocks { get; }

    public DiagramProduct(SetPartition partition, int n)
    {
        if (n < 1) throw new AtlasArgumentException("n", $"must be ≥ 1, got {n}");
        Partition = partition;
        N = n;
        int l = partition.Top, k = partition.Bottom, b = partition.BlockCount;
        var inStride = new long[b];
        var outStride = new long[b];
        var hasIn = new bool[b];
        var hasOut = new bool[b];
        for (int p = 0; p < l; p++)
        {
            int blk = partition.Blocks[p];
            outStride[blk] += SizeGuard.Power(n, l - 1 - p);
            hasOut[blk] = true;
        }
        for (int p = 0; p < k; p++)
        {
            int blk = partition.Blocks[l + p];
            inStride[blk] += SizeGuard.Power(n, k - 1 - p);
            hasIn[blk] = true;
        }
        var inputOnly = Enumerable.Range(0, b).Where(x => hasIn[x] && !hasOut[x]).ToArray();
        var shared = Enumerable.Range(0, b).Where(x => hasIn[x] && hasOut[x]).ToArray();
        var outputOnly = Enumerable.Range(0, b).Where(x => !hasIn[x] && hasOut[x]).ToArray();
        InputOnlyBlocks = inputOnly.Length;
        SharedBlocks = shared.Length;
        OutputOnlyBlocks = outputOnly.Length;
        // The intermediate tensor w has one axis per shared block.
        var midStride = new long[b];
        for (int s = 0; s < shared.Length; s++) midStride[shared[s]] = SizeGuard.Power(n, shared.Length - 1 - s);
        // Any loop order is correct (each block moves its own offsets); the smallest stride innermost keeps the
        // walk over x and y as sequential as the partition allows.
        var gatherOrder = inputOnly.Concat(shared).OrderByDescending(x => inStride[x]).ToArray();
        var scatterOrder = shared.Concat(outputOnly).OrderByDescending(x => outStride[x]).ToArray();
        _gatherInStride = gatherOrder.Select(x => inStride[x]).ToArray();
        _gatherMidStride = gatherOrder.Select(x => midStride[x]).ToArray();
        _scatterMidStride = scatterOrder.Select(x => midStride[x]).ToArray();
        _scatterOutStride = scatterOrder.Select(x => outStride[x]).ToArray();
    }

    /// <summary>Multiply-adds: n^(input-touching blocks) + n^(output-touching blocks).</summary>
    public long Work => SizeGuard.Power(N, _gatherInStride.Length) + SizeGuard.Power(N, _scatterOutStride.Length);

    /// <summary>y += coefficient · D_π x, for x of length n^k and y of length n^l (row-major).</summary>
    public void MultiplyAdd(double coefficient, ReadOnlySpan<double> x, Span<double> y, double[]? scratch = null)
    {
        if (x.Length != SizeGuard.Power(N, Partition.Bottom) || y.Length != SizeGuard.Power(N, Partition.Top))
            throw new AtlasArgumentException("input", $"expected x of length {N}^{Partition.Bottom} and y of length {N}^{Partition.Top}, got {x.Length} and {y.Length}");
        long midLength = SizeGuard.Power(N, SharedBlocks);
        double[] w = scratch is not null && scratch.Length >= midLength ? scratch : new double[midLength];
        Array.Clear(w, 0, (int)midLength);
        Walk(N, _gatherInStride, _gatherMidStride, x, w, 1.0);
        Walk(N, _scatterMidStride, _scatterOutStride, w, y, coefficient);
    }

    /// <summary>Scratch length <see cref="MultiplyAdd"/> needs: n^(shared blocks).</summary>
    public long ScratchLength => SizeGuard.Power(N, SharedBlocks);

    /// <summary>
    /// Odometer over n^d block values: dst[Σ v·dstStride] += c · src[Σ v·srcStride]. Gathering, src is x and dst
    /// is w (input-only blocks have stride 0 in w, so they are summed out); scattering, src is w and dst is y
    /// (output-only blocks have stride 0 in w, so w is broadcast along them).
    /// </summary>
    private static unsafe void Walk(int n, long[] srcStride, long[] dstStride, ReadOnlySpan<double> src, Span<double> dst, double c)
    {
        int d = srcStride.Length;
        fixed (double* sp = src, dp = dst)
        {
            if (d == 0) { dp[0] += c * sp[0]; return; }
            int last = d - 1;
            long sLast = srcStride[last], tLast = dstStride[last];
            Span<int> digits = stackalloc int[d];
            long so = 0, to = 0;
            while (true)
            {
                // Innermost block as a tight loop.
                double* s = sp + so;
                double* t = dp + to;
                if (tLast == 0)
                {
                    double acc = 0;
                    for (int v = 0; v < n; v++, s += sLast) acc += *s;
                    *t += c * acc;
                }
                else if (sLast == 1 && tLast == 1)
                {
                    for (int v = 0; v < n; v++) t[v] += c * s[v];
                }
                else
                {
                    for (int v = 0; v < n; v++, s += sLast, t += tLast) *t += c * *s;
                }
                int j = last - 1;
                while (j >= 0)
                {
                    digits[j]++;
                    so += srcStride[j];
                    to += dstStride[j];
                    if (digits[j] < n) break;
                    so -= n * srcStride[j];
                    to -= n * dstStride[j];
                    digits[j] = 0;
                    j--;
                }
                if (j < 0) return;
            }
        }
    }
}
