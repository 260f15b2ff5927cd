using NeuralAtlas.Autograd;
using NeuralAtlas.Nn;
using NeuralAtlas.Nn.Zoo;
using NeuralAtlas.Onnx;
using NeuralAtlas.Tensors;
using NeuralAtlas.Tests.Support;

namespace NeuralAtlas.Tests.Nn;

public class LayerTapsTests
{
    private static (Module Zoo, OnnxModule Onnx, Tensor X) Pair(TempDir dir)
    {
        var net = ModelZoo.Create("cnn", 1, 28, 10, new Rng(3));
        net.Eval();
        OnnxExport.Save(net, new[] { 1, 28, 28 }, dir.File("m.onnx"));
        var onnx = new OnnxModule(OnnxModel.Load(dir.File("m.onnx")));
        onnx.Eval();
        var x = new Tensor(new[] { 2, 1, 28, 28 }, Enumerable.Range(0, 2 * 784).Select(i => (float)(0.5 + 0.5 * Math.Sin(0.07 * i))).ToArray());
        return (net, onnx, x);
    }

    // The exported graph's third Relu is the zoo CNN's relu3 (Conv, Relu, MaxPool, Conv, Relu, MaxPool, Flatten, Gemm, Relu, Gemm).
    private static string OnnxRelu3(OnnxModule m) => m.Model.Nodes.Where(n => n.OpType == "Relu").ElementAt(2).Name;

    [Fact]
    public void ZeroingTheLastHiddenLayerLeavesOnlyTheClassifierBias()
    {
        using var dir = new TempDir();
        var (net, onnx, x) = Pair(dir);
        var bias = net.StateDict()["fc2.bias"].Data;
        using var _ = GradMode.NoGrad();
        foreach (var (model, layer) in new[] { (net, "relu3"), ((Module)onnx, OnnxRelu3(onnx)) })
        {
            var plain = model.Forward(new Var(x)).Value;
            using (LayerTaps.Replace(model, layer, v => new Var(new Tensor(v.Shape, new float[v.Numel]))))
            {
                var y = model.Forward(new Var(x)).Value;
                for (int i = 0; i < 2; i++)
                    for (int c = 0; c < 10; c++) Assert.Equal(bias[c], y.Data[i * 10 + c]);
            }
            // Disposing the handle removes the replacement.
            Assert.Equal(plain.Data, model.Forward(new Var(x)).Value.Data);
        }
    }

    [Fact]
    public void OnnxNodeOutputsEqualTheZooModulesOutputsAndCarryTangents()
    {
        using var dir = new TempDir();
        var (net, onnx, x) = Pair(dir);
        string node = OnnxRelu3(onnx);
        Assert.Contains(node, LayerTaps.Names(onnx, new Var(x)));
        Assert.Contains("relu3", LayerTaps.Names(net, new Var(x)));
        using (GradMode.NoGrad())
            Assert.Equal(LayerTaps.Outputs(net, new Var(x), new[] { "relu3" })[0].Value.Data, LayerTaps.Outputs(onnx, new Var(x), new[] { node })[0].Value.Data);

        var v = new Tensor(x.Shape, Enumerable.Range(0, x.Numel).Select(i => (float)Math.Cos(0.3 * i)).ToArray());
        var (_, jz) = Functional.Jvp(i => LayerTaps.Outputs(net, i, new[] { "relu3" })[0], x, v);
        var (_, jo) = Functional.Jvp(i => LayerTaps.Outputs(onnx, i, new[] { node })[0], x, v);
        Assert.Contains(jz.Data, t => t != 0);
        for (int i = 0; i < jz.Numel; i++) Assert.Equal(jz.Data[i], jo.Data[i], 1e-4f);
    }

    [Fact]
    public void UnknownLayersAndUnreachedLayersAreNamed()
    {
        using var dir = new TempDir();
        var (net, onnx, x) = Pair(dir);
        Assert.Contains("no submodule named 'nope'", Assert.Throws<AtlasArgumentException>(() => LayerTaps.Observe(net, "nope", _ => { })).Message);
        Assert.Contains("'nope'", Assert.Throws<AtlasArgumentException>(() => LayerTaps.Observe(onnx, "nope", _ => { })).Message);
        Assert.Contains("graph input", Assert.Throws<AtlasArgumentException>(() => LayerTaps.Observe(onnx, onnx.Model.Inputs[0].Name, _ => { })).Message);
    }
}
