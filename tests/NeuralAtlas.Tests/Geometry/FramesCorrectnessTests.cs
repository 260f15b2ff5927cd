using NeuralAtlas.Autograd;
using NeuralAtlas.Geometry;
using NeuralAtlas.LinearAlgebra;
using NeuralAtlas.Nn;
using NeuralAtlas.Nn.Zoo;
using NeuralAtlas.Tensors;
using Xunit.Abstractions;

namespace NeuralAtlas.Tests.Geometry;

/// <summary>
/// The Jvp frame at every default layer of the reference CNN against two independent references: the reverse mode
/// (⟨J v, u⟩ = ⟨v, Jᵀu⟩ with Jᵀu from <see cref="Functional.Vjp"/>) and central finite differences of a
/// double-precision re-implementation of the network written from its definition (conv 3×3 → ReLU → max-pool 2, twice,
/// → flatten → fc1 → ReLU → fc2).
/// </summary>
public class FramesCorrectnessTests(ITestOutputHelper output)
{
    private static Tensor Image()
    {
        var rng = new Rng(21);
        var d = new float[28 * 28];
        for (int v = 0; v < 28; v++)
            for (int u = 0; u < 28; u++)
                d[v * 28 + u] = (float)(Math.Exp(-((u - 13) * (u - 13) + (v - 14) * (v - 14)) / 50.0) + 0.05 * rng.Normal());
        return new Tensor(new[] { 1, 28, 28 }, d);
    }

    private static (ReferenceCnn Model, Tensor X, List<FrameDirection> Dirs, IReadOnlyList<string> Layers) Setup()
    {
        var model = (ReferenceCnn)ModelZoo.Create("cnn", 1, 28, 10, new Rng(5));
        model.Eval();
        var x = Image();
        var dirs = FrameDirections.Augmentations(x).Concat(FrameDirections.Noise(x, 4, new Rng(6))).ToList();
        dirs.Add(FrameDirections.Adversarial(model, x, 3));
        return (model, x, dirs, ActivationCapture.AllLayers(model));
    }

    [Fact]
    public void JvpFrameEqualsReverseModeAtEveryLayer()
    {
        var (model, x, dirs, layers) = Setup();
        Assert.Equal(10, layers.Count);
        var frames = NeuralFrames.Pushforward(model, x, dirs, layers);
        var rng = new Rng(7);
        double worst = 0;
        for (int l = 0; l < layers.Count; l++)
        {
            string layer = layers[l];
            Var F(Var xv) => LayerTaps.Outputs(model, xv, new[] { layer })[0];
            var shape = F(new Var(x.Reshape(1, 1, 28, 28))).Shape;
            for (int t = 0; t < 3; t++)
            {
                var u = new Tensor(shape);
                for (int i = 0; i < u.Numel; i++) u.Data[i] = (float)rng.Normal();
                double uNorm = Math.Sqrt(u.Data.Sum(v => (double)v * v));
                var (_, jtu) = Functional.Vjp(F, x.Reshape(1, 1, 28, 28), u);
                for (int k = 0; k < dirs.Count; k++)
                {
                    double lhs = 0, jvNorm = 0, rhs = 0;
                    for (int i = 0; i < u.Numel; i++) { lhs += frames[l][k, i] * u.Data[i]; jvNorm += frames[l][k, i] * frames[l][k, i]; }
                    for (int i = 0; i < jtu.Numel; i++) rhs += (double)jtu.Data[i] * dirs[k].Direction.Data[i];
                    Assert.True(jvNorm > 0, $"{layer} {dirs[k].Name}: zero frame row");
                    // Relative to ‖Jv‖‖u‖, the size ⟨Jv, u⟩ can have (it may cancel to near 0 for a random u).
                    double rel = Math.Abs(lhs - rhs) / (Math.Sqrt(jvNorm) * uNorm);
                    worst = Math.Max(worst, rel);
                    Assert.True(rel <= 1e-4, $"{layer} {dirs[k].Name}: ⟨Jv,u⟩ = {lhs}, ⟨v,Jᵀu⟩ = {rhs}, relative {rel:E2}");
                }
            }
        }
        output.WriteLine($"largest |⟨Jv,u⟩ − ⟨v,Jᵀu⟩| / (‖Jv‖‖u‖) over 10 layers × 12 directions × 3 cotangents: {worst:E2}");
    }

    [Fact]
    public void JvpFrameEqualsJacobianRowsFromReverseModeAtEveryLayer()
    {
        var (model, x, dirs, layers) = Setup();
        // 160 rows per layer: fc1, relu3 (128) and fc2 (10) against the full Jacobian product, the others on 160 random rows.
        var r = NeuralFrames.Compute(model, x, dirs, layers, reverseRows: 160, reverseSeed: 3);
        output.WriteLine("‖Jv − rows·v‖/‖rows·v‖ per layer: " + string.Join(", ", layers.Select((n, l) => $"{n} {r.ReverseModeError![l]:E2}")));
        for (int l = 0; l < layers.Count; l++) Assert.True(r.ReverseModeError![l] <= 1e-4, $"{layers[l]}: {r.ReverseModeError[l]:E2}");

        // The check can fail: the same rows against a frame with one direction off by 0.1 % at one layer.
        var frames = NeuralFrames.Pushforward(model, x, dirs, layers);
        int fc1 = layers.ToList().IndexOf("fc1");
        for (int i = 0; i < frames[fc1].Cols; i++) frames[fc1][2, i] *= 1.001;
        var bad = FrameReverseCheck.Compute(model, x, dirs, layers, frames, 160, new Rng(3));
        Assert.True(bad[fc1] > 1e-4, $"a 0.1 % error at fc1 measured {bad[fc1]:E2}");
        Assert.True(bad[fc1 + 1] <= 1e-4);
    }

    [Fact]
    public void JvpFrameEqualsDoublePrecisionFiniteDifferencesAtEveryLayer()
    {
        var (model, x, dirs, layers) = Setup();
        var reference = new DoubleCnn(model);
        var x64 = x.Data.Select(v => (double)v).ToArray();
        // The re-implementation is the same function: its layer outputs equal the model's (float32) outputs.
        var outs = LayerTaps.Outputs(model, new Var(x.Reshape(1, 1, 28, 28)), layers);
        var mine = reference.Forward(x64);
        for (int l = 0; l < layers.Count; l++)
        {
            Assert.Equal(outs[l].Numel, mine[l].Length);
            double scale = mine[l].Max(Math.Abs);
            for (int i = 0; i < mine[l].Length; i++) Assert.True(Math.Abs(outs[l].Value.Data[i] - mine[l][i]) <= 1e-5 * Math.Max(1, scale), $"{layers[l]}[{i}]");
        }

        var frames = NeuralFrames.Pushforward(model, x, dirs, layers);
        // The network is piecewise linear, so a central difference has no truncation error unless it crosses a ReLU
        // or max-pool kink; h = 1e-6 in double keeps rounding near 1e-10 and makes a crossing unlikely.
        const double h = 1e-6;
        var worst = new double[layers.Count];
        for (int k = 0; k < dirs.Count; k++)
        {
            var v = dirs[k].Direction.Data;
            var plus = reference.Forward(x64.Select((a, i) => a + h * v[i]).ToArray());
            var minus = reference.Forward(x64.Select((a, i) => a - h * v[i]).ToArray());
            for (int l = 0; l < layers.Count; l++)
            {
                double diff = 0, norm = 0;
                for (int i = 0; i < plus[l].Length; i++)
                {
                    double fd = (plus[l][i] - minus[l][i]) / (2 * h);
                    diff += (fd - frames[l][k, i]) * (fd - frames[l][k, i]);
                    norm += fd * fd;
                }
                double rel = Math.Sqrt(diff / norm);
                worst[l] = Math.Max(worst[l], rel);
                Assert.True(rel <= 1e-4, $"{layers[l]} {dirs[k].Name}: ‖FD − Jv‖/‖FD‖ = {rel:E2}");
            }
        }
        output.WriteLine("largest ‖FD − Jv‖/‖FD‖ per layer: " + string.Join(", ", layers.Select((n, l) => $"{n} {worst[l]:E2}")));
    }

    /// <summary>The reference CNN in double precision, from its definition; returns every layer's output in ActivationCapture order.</summary>
    private sealed class DoubleCnn(ReferenceCnn m)
    {
        private static double[] D(Var? v) => v!.Value.Data.Select(a => (double)a).ToArray();
        private readonly double[] _w1 = D(m.Conv1.Weight), _b1 = D(m.Conv1.Bias), _w2 = D(m.Conv2.Weight), _b2 = D(m.Conv2.Bias);
        private readonly double[] _w3 = D(m.Fc1.Weight), _b3 = D(m.Fc1.Bias), _w4 = D(m.Fc2.Weight), _b4 = D(m.Fc2.Bias);

        public double[][] Forward(double[] x)
        {
            var c1 = Conv(x, 1, 28, _w1, _b1, 32);
            var r1 = Relu(c1);
            var p1 = Pool(r1, 32, 26);
            var c2 = Conv(p1, 32, 13, _w2, _b2, 64);
            var r2 = Relu(c2);
            var p2 = Pool(r2, 64, 11);
            var f1 = Dense(p2, _w3, _b3, 128);
            var r3 = Relu(f1);
            var f2 = Dense(r3, _w4, _b4, 10);
            return new[] { c1, r1, p1, c2, r2, p2, (double[])p2.Clone(), f1, r3, f2 };
        }

        private static double[] Conv(double[] x, int cin, int n, double[] w, double[] b, int cout)
        {
            int o = n - 2;
            var y = new double[cout * o * o];
            for (int co = 0; co < cout; co++)
                for (int r = 0; r < o; r++)
                    for (int c = 0; c < o; c++)
                    {
                        double s = b[co];
                        for (int ci = 0; ci < cin; ci++)
                            for (int kr = 0; kr < 3; kr++)
                                for (int kc = 0; kc < 3; kc++)
                                    s += w[((co * cin + ci) * 3 + kr) * 3 + kc] * x[(ci * n + r + kr) * n + c + kc];
                        y[(co * o + r) * o + c] = s;
                    }
            return y;
        }

        private static double[] Relu(double[] x) => x.Select(v => Math.Max(0, v)).ToArray();

        private static double[] Pool(double[] x, int ch, int n)
        {
            int o = n / 2;
            var y = new double[ch * o * o];
            for (int c = 0; c < ch; c++)
                for (int r = 0; r < o; r++)
                    for (int q = 0; q < o; q++)
                    {
                        int i0 = (c * n + 2 * r) * n + 2 * q;
                        y[(c * o + r) * o + q] = Math.Max(Math.Max(x[i0], x[i0 + 1]), Math.Max(x[i0 + n], x[i0 + n + 1]));
                    }
            return y;
        }

        private static double[] Dense(double[] x, double[] w, double[] b, int outs)
        {
            var y = new double[outs];
            for (int o = 0; o < outs; o++)
            {
                double s = b[o];
                for (int i = 0; i < x.Length; i++) s += w[o * x.Length + i] * x[i];
                y[o] = s;
            }
            return y;
        }
    }
}
