namespace NeuralAtlas.Tensors;

/// <summary>Matrix products with torch.matmul semantics, on <see cref="Gemm"/>.</summary>
public static partial class Ops
{
    /// <summary>
    /// torch.matmul: 1-D·1-D is a dot product (a scalar); a 1-D left operand is a row (prepended dimension) and a
    /// 1-D right operand a column (appended), removed from the result; leading batch dimensions broadcast.
    /// <paramref name="transA"/>/<paramref name="transB"/> use the transpose of an operand's last two dimensions
    /// (ignored for 1-D operands) without copying it.
    /// </summary>
    public static unsafe Tensor Matmul(Tensor a, Tensor b, bool transA = false, bool transB = false)
    {
        if (a.Rank == 0 || b.Rank == 0) throw new ShapeMismatchException("matmul", a.Shape, b.Shape, "both operands need at least one dimension");
        bool vecA = a.Rank == 1, vecB = b.Rank == 1;
        var aa = vecA ? a.Reshape(1, a.Shape[0]) : a;
        var bb = vecB ? b.Reshape(b.Shape[0], 1) : b;
        bool ta = transA && !vecA, tb = transB && !vecB;
        int ra = aa.Shape[^2], ca = aa.Shape[^1], rb = bb.Shape[^2], cb = bb.Shape[^1];
        int m = ta ? ca : ra, k = ta ? ra : ca, kb = tb ? cb : rb, n = tb ? rb : cb;
        if (k != kb) throw new ShapeMismatchException("matmul", a.Shape, b.Shape, $"inner dimensions {k} and {kb} differ");
        var batchA = aa.Shape[..^2];
        var batchB = bb.Shape[..^2];
        var batch = Broadcast.Shape("matmul", batchA, batchB);
        var outShape = batch.Concat(new[] { m, n }).ToArray();
        var res = new Tensor(outShape);
        long nb = Tensor.ShapeSize(batch);
        if (res.Numel > 0)
        {
            var stA = Broadcast.Strides(batchA, batch);
            var stB = Broadcast.Strides(batchB, batch);
            long matA = (long)ra * ca, matB = (long)rb * cb, matC = (long)m * n;
            bool bShared = stB.All(s => s == 0);
            fixed (float* pa = aa.Data, pb = bb.Data, pc = res.Data)
            {
                float* xa = pa, xb = pb, xc = pc;
                if (bShared && !ta && IsDenseBatch(batchA, batch))
                {
                    // A's batch stacks into rows: one large GEMM.
                    Gemm.Sgemm(false, tb, (int)(nb * m), n, k, 1, xa, ca, xb, cb, 0, xc, n);
                }
                else
                {
                    void One(int i)
                    {
                        long rem = i, oa = 0, ob = 0;
                        for (int d = batch.Length - 1; d >= 0; d--) { long ix = rem % batch[d]; rem /= batch[d]; oa += ix * stA[d]; ob += ix * stB[d]; }
                        Gemm.Sgemm(ta, tb, m, n, k, 1, xa + oa * matA, ca, xb + ob * matB, cb, 0, xc + i * matC, n);
                    }
                    if (nb > 1 && (long)m * n * k < 192L * 192 * 192) Parallelism.For(0, (int)nb, One);
                    else for (int i = 0; i < nb; i++) One(i);
                }
            }
        }
        if (vecA && vecB) return res.Reshape(batch);
        if (vecA) return res.Reshape(batch.Append(n).ToArray());
        if (vecB) return res.Reshape(batch.Append(m).ToArray());
        return res;
    }

    // True when A's batch dims equal the broadcast batch (A is not itself broadcast), so its matrices are consecutive.
    private static bool IsDenseBatch(int[] batchA, int[] batch)
    {
        long pa = Tensor.ShapeSize(batchA), pb = Tensor.ShapeSize(batch);
        return pa == pb;
    }

    /// <summary>Dot product of two 1-D tensors of equal length (a scalar tensor).</summary>
    public static Tensor Dot(Tensor a, Tensor b)
    {
        if (a.Rank != 1 || b.Rank != 1 || a.Numel != b.Numel) throw new ShapeMismatchException("dot", a.Shape, b.Shape, "needs two 1-D tensors of equal length");
        return Tensor.Scalar(System.Numerics.Tensors.TensorPrimitives.Dot(a.Data, b.Data));
    }

    /// <summary>Outer product of two 1-D tensors.</summary>
    public static Tensor Outer(Tensor a, Tensor b)
    {
        if (a.Rank != 1 || b.Rank != 1) throw new ShapeMismatchException("outer", a.Shape, b.Shape, "needs two 1-D tensors");
        return Matmul(a.Reshape(-1, 1), b.Reshape(1, -1));
    }
}
