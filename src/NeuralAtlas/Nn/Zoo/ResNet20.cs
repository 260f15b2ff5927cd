using NeuralAtlas.Autograd;
using NeuralAtlas.Tensors;

namespace NeuralAtlas.Nn.Zoo;

/// <summary>
/// The CIFAR ResNet-20 of He et al. (2016): conv1 (3×3, 16) → bn1 → relu → layer1 (3 blocks, 16) → layer2 (3 blocks,
/// 32, stride 2) → layer3 (3 blocks, 64, stride 2) → global average pool → fc. Down-sampling shortcuts are 1×1
/// conv + BN (<c>shortcut.0</c>, <c>shortcut.1</c>, option B). Any number of input channels.
/// </summary>
public sealed class ResNet20 : Module
{
    private readonly Module _conv1, _bn1, _relu, _layer1, _layer2, _layer3, _pool, _flatten, _fc;

    public ResNet20(Rng rng, int inChannels = 3, int numClasses = 10, int width = 16)
    {
        _conv1 = RegisterModule("conv1", new Conv2d(inChannels, width, 3, rng, padding: 1, bias: false));
        _bn1 = RegisterModule("bn1", new BatchNorm2d(width));
        _relu = RegisterModule("relu", new ReLU());
        _layer1 = RegisterModule("layer1", Stage(width, width, 1, rng));
        _layer2 = RegisterModule("layer2", Stage(width, 2 * width, 2, rng));
        _layer3 = RegisterModule("layer3", Stage(2 * width, 4 * width, 2, rng));
        _pool = RegisterModule("avgpool", new AdaptiveAvgPool2d(1));
        _flatten = RegisterModule("flatten", new Flatten());
        _fc = RegisterModule("fc", new Linear(4 * width, numClasses, rng));
        foreach (var (_, m) in NamedModules())
            if (m is Conv2d c) Init.KaimingNormalFanOut(c.Weight.Value, rng);
    }

    private static Sequential Stage(int cin, int cout, int stride, Rng rng) =>
        new(new BasicBlock(cin, cout, stride, rng), new BasicBlock(cout, cout, 1, rng), new BasicBlock(cout, cout, 1, rng));

    protected override Var OnForward(Var x)
    {
        x = _relu.Forward(_bn1.Forward(_conv1.Forward(x)));
        x = _layer3.Forward(_layer2.Forward(_layer1.Forward(x)));
        return _fc.Forward(_flatten.Forward(_pool.Forward(x)));
    }
}

/// <summary>ResNet basic block: relu(bn2(conv2(relu(bn1(conv1(x))))) + shortcut(x)).</summary>
public sealed class BasicBlock : Module
{
    private readonly Module _conv1, _bn1, _relu1, _conv2, _bn2, _relu2;
    private readonly Module? _shortcut;

    public BasicBlock(int cin, int cout, int stride, Rng rng)
    {
        _conv1 = RegisterModule("conv1", new Conv2d(cin, cout, 3, rng, stride: stride, padding: 1, bias: false));
        _bn1 = RegisterModule("bn1", new BatchNorm2d(cout));
        _relu1 = RegisterModule("relu1", new ReLU());
        _conv2 = RegisterModule("conv2", new Conv2d(cout, cout, 3, rng, padding: 1, bias: false));
        _bn2 = RegisterModule("bn2", new BatchNorm2d(cout));
        if (stride != 1 || cin != cout)
            _shortcut = RegisterModule("shortcut", new Sequential(new Conv2d(cin, cout, 1, rng, stride: stride, bias: false), new BatchNorm2d(cout)));
        _relu2 = RegisterModule("relu2", new ReLU());
    }

    protected override Var OnForward(Var x)
    {
        var o = _bn2.Forward(_conv2.Forward(_relu1.Forward(_bn1.Forward(_conv1.Forward(x)))));
        return _relu2.Forward(F.Add(o, _shortcut is null ? x : _shortcut.Forward(x)));
    }
}
