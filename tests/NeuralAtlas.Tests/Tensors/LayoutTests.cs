using NeuralAtlas.Tensors;

namespace NeuralAtlas.Tests.Tensors;

public class LayoutTests
{
    private static readonly TensorFixture F = TensorFixture.Load("layout");

    private static readonly Dictionary<string, Func<Func<string, Tensor>, Tensor>> Cases = new()
    {
        ["permute"] = g => Ops.Permute(g("in0"), 2, 0, 3, 1),
        ["transpose13"] = g => Ops.Transpose(g("in0"), 1, 3),
        ["transpose2d"] = g => Ops.Transpose(g("in0"), 0, 1),
        ["narrow"] = g => Ops.Narrow(g("in0"), 2, 1, 2),
        ["slice_step"] = g => Ops.Slice(g("in0"), 2, 1, -1, 2),
        ["slice_neg"] = g => Ops.Slice(g("in0"), 1, -2),
        ["slice_step3"] = g => Ops.Slice(g("in0"), -1, step: 3),
        ["cat1"] = g => Ops.Cat(new[] { g("in0"), g("in1") }, 1),
        ["cat3"] = g => Ops.Cat(new[] { g("in0"), g("in1") }, 3),
        ["stack0"] = g => Ops.Stack(new[] { g("in0"), g("in1") }, 0),
        ["stack2"] = g => Ops.Stack(new[] { g("in0"), g("in1") }, 2),
        ["split_0"] = g => Ops.Split(g("in0"), new[] { 1, 3, 1 }, 3)[0],
        ["split_1"] = g => Ops.Split(g("in0"), new[] { 1, 3, 1 }, 3)[1],
        ["split_2"] = g => Ops.Split(g("in0"), new[] { 1, 3, 1 }, 3)[2],
        ["chunk_0"] = g => Ops.Chunk(g("in0"), 2, 3)[0],
        ["chunk_1"] = g => Ops.Chunk(g("in0"), 2, 3)[1],
        ["gather1"] = g => Ops.Gather(g("in0"), 1, g("idx")),
        ["scatter_add0"] = g => Ops.ScatterAdd(g("in0"), 0, g("idx"), g("src")),
        ["index_select2"] = g => Ops.IndexSelect(g("in0"), 2, g("idx")),
        ["index_add2"] = g => Ops.IndexAdd(g("in0"), 2, g("idx"), g("src")),
        ["where"] = g => Ops.Where(g("in0"), g("in1"), g("in2")),
        ["masked_fill"] = g => Ops.MaskedFill(g("in0"), g("mask"), -7.5f),
        ["pad_const"] = g => Ops.Pad(g("in0"), new[] { 1, 2, 0, 3 }, PadMode.Constant, 0.25f),
        ["pad_crop"] = g => Ops.Pad(g("in0"), new[] { -1, 2, 1, -1 }),
        ["pad_reflect"] = g => Ops.Pad(g("in0"), new[] { 2, 3, 1, 2 }, PadMode.Reflect),
        ["pad_replicate"] = g => Ops.Pad(g("in0"), new[] { 2, 3, 1, 2 }, PadMode.Replicate),
        ["pad_circular"] = g => Ops.Pad(g("in0"), new[] { 2, 3, 1, 2 }, PadMode.Circular),
        ["pad_reflect1d"] = g => Ops.Pad(g("in0"), new[] { 3, 1 }, PadMode.Reflect),
        ["repeat"] = g => Ops.Repeat(g("in0"), 2, 1, 2, 3),
        ["expand"] = g => Ops.Expand(g("in0"), 2, 3, 4, 5),
        ["flip"] = g => Ops.Flip(g("in0"), 1, 3),
        ["roll"] = g => Ops.Roll(g("in0"), new[] { 2, -1 }, new[] { 1, 3 }),
        ["roll_flat"] = g => Ops.Roll(g("in0"), new[] { 7 }),
    };

    public static IEnumerable<object[]> Names() => Cases.Keys.Select(k => new object[] { k });

    [Theory]
    [MemberData(nameof(Names))]
    public void LayoutOpMatchesTorch(string name)
    {
        var res = Cases[name](key => F[name, key]);
        TensorAssert.Close(F[name, "out"], res, 0, 1e-6, name);
    }

    [Fact]
    public void BadArgumentsAreTyped()
    {
        var x = new Tensor(2, 3);
        Assert.Throws<ShapeMismatchException>(() => Ops.Cat(new[] { x, new Tensor(3, 3) }, 1));
        Assert.Throws<AtlasArgumentException>(() => Ops.Pad(x, new[] { 3, 0 }, PadMode.Reflect));
        Assert.Throws<AtlasArgumentException>(() => Ops.IndexSelect(x, 1, new[] { 3 }));
        Assert.Throws<AtlasArgumentException>(() => Ops.Permute(x, 0, 0));
        Assert.Throws<AtlasArgumentException>(() => Ops.Gather(x, 1, Tensor.FromArray(new[] { 0.5f }, 1, 1)));
    }
}
