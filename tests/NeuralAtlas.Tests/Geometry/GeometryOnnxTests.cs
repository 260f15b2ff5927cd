using NeuralAtlas.Autograd;
using NeuralAtlas.Geometry;
using NeuralAtlas.IO;
using NeuralAtlas.Nn;
using NeuralAtlas.Nn.Zoo;
using NeuralAtlas.Onnx;
using NeuralAtlas.Tensors;
using NeuralAtlas.Tests.Support;

namespace NeuralAtlas.Tests.Geometry;

/// <summary>Neural frames and invariance on an imported ONNX graph equal those of the zoo model it was exported from.</summary>
public class GeometryOnnxTests
{
    private static (Module Zoo, OnnxModule Onnx, string[] ZooLayers, string[] Nodes) Pair(TempDir dir)
    {
        var net = ModelZoo.Create("cnn", 1, 28, 10, new Rng(11));
        net.Eval();
        OnnxExport.Save(net, new[] { 1, 28, 28 }, dir.File("m.onnx"));
        var onnx = new OnnxModule(OnnxModel.Load(dir.File("m.onnx")));
        onnx.Eval();
        // The export writes one Relu node per ReLU module, in order (relu1, relu2, relu3), and the last Gemm is fc2.
        var nodes = onnx.Model.Nodes.Where(n => n.OpType == "Relu").Select(n => n.Name).Append(onnx.Model.Nodes.Last(n => n.OpType == "Gemm").Name).ToArray();
        return (net, onnx, new[] { "relu1", "relu2", "relu3", "fc2" }, nodes);
    }

    private static Tensor Image() =>
        new(new[] { 1, 28, 28 }, Enumerable.Range(0, 784).Select(i => (float)(0.5 + 0.4 * Math.Sin(0.05 * i) * Math.Cos(0.11 * (i % 28)))).ToArray());

    [Fact]
    public void FramesOfTheExportedGraphEqualTheZooModels()
    {
        using var dir = new TempDir();
        var (net, onnx, zooLayers, nodes) = Pair(dir);
        var x = Image();
        var dirs = FrameDirections.Augmentations(x).Concat(FrameDirections.Noise(x, 3, new Rng(2))).ToList();
        var a = NeuralFrames.Compute(net, x, dirs, zooLayers);
        var b = NeuralFrames.Compute(onnx, x, dirs, nodes);
        for (int l = 0; l < zooLayers.Length; l++)
        {
            var (la, lb) = (a.Layers[l], b.Layers[l]);
            Assert.Contains(la.RelativeNorms, v => v > 0);
            for (int k = 0; k < dirs.Count; k++) Assert.Equal(la.RelativeNorms[k], lb.RelativeNorms[k], 1e-4 * la.RelativeNorms.Max());
            Assert.Equal(la.EffectiveRank, lb.EffectiveRank, 1e-4);
            Assert.Equal(la.PrincipalAngles.Length, lb.PrincipalAngles.Length);
            for (int k = 0; k < la.PrincipalAngles.Length; k++) Assert.Equal(la.PrincipalAngles[k], lb.PrincipalAngles[k], 1e-3);
        }
    }

    [Fact]
    public void FramesOfTheExportedGraphMatchReverseModeRows()
    {
        using var dir = new TempDir();
        var (_, onnx, _, nodes) = Pair(dir);
        var x = Image();
        var dirs = FrameDirections.Augmentations(x).Take(3).ToList();
        // One Vjp per row on a graph: 12 rows per node (all 10 of the logits).
        var r = NeuralFrames.Compute(onnx, x, dirs, nodes, reverseRows: 12, reverseSeed: 1);
        for (int l = 0; l < nodes.Length; l++) Assert.True(r.ReverseModeError![l] <= 1e-4, $"{nodes[l]}: {r.ReverseModeError[l]:E2}");
    }

    [Fact]
    public void InvarianceOfTheExportedGraphEqualsTheZooModels()
    {
        using var dir = new TempDir();
        var (net, onnx, zooLayers, nodes) = Pair(dir);
        var xs = Ops.Cat(Enumerable.Range(0, 6).Select(i => Ops.Roll(Image(), new[] { 3 * i }, new[] { 2 }).Reshape(1, 1, 28, 28)).ToList(), 0);
        var labels = new[] { 0, 1, 2, 3, 4, 5 };
        var actions = new[] { ImageAction.Rotate90(1), ImageAction.Shift(2, 1) };
        var a = InvarianceMetrics.Compute(net, xs, labels, actions, zooLayers);
        var b = InvarianceMetrics.Compute(onnx, xs, labels, actions, nodes);
        for (int g = 0; g < actions.Length; g++)
        {
            Assert.Equal(a[g].Accuracy, b[g].Accuracy);
            for (int l = 0; l < zooLayers.Length; l++)
                Assert.Equal(a[g].Layers[l].Invariance, b[g].Layers[l].Invariance, 1e-5);
        }
    }

    [Fact]
    public void FramesAndInvarianceCommandsTakeAnOnnxModel()
    {
        using var dir = new TempDir();
        var (_, onnx, _, nodes) = Pair(dir);
        var r = CliRunner.Run("frames", "--onnx", dir.File("m.onnx"), "--count", "1", "--noise", "2", "--layers", string.Join(',', nodes), "--out", dir.File("f.json"));
        Assert.True(r.ExitCode == 0, r.Err);
        Assert.StartsWith(nodes[0] + "\t", r.Out.Trim().Split('\n')[1]);
        var i = CliRunner.Run("invariance", "--onnx", dir.File("m.onnx"), "--count", "4", "--layers", nodes[^1], "--out", dir.File("i.json"));
        Assert.True(i.ExitCode == 0, i.Err);
        Assert.Contains(nodes[^1], i.Out);
        var both = CliRunner.Run("frames", "--onnx", dir.File("m.onnx"), "--model", "cnn", "--out", dir.File("g.json"));
        Assert.Equal(2, both.ExitCode);
        Assert.Contains("--model", both.Err);
        Assert.False(File.Exists(dir.File("g.json")));
    }
}
