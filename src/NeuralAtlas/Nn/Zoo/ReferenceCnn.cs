using NeuralAtlas.Autograd;
using NeuralAtlas.Tensors;

namespace NeuralAtlas.Nn.Zoo;

/// <summary>
/// The reference CNN of PyTorch's classic MNIST example: conv1 (C→32, 3×3) → ReLU → max-pool 2 → conv2 (32→64, 3×3)
/// → ReLU → max-pool 2 → flatten → fc1 (→128) → ReLU → fc2 (→classes). Its state dict is exactly
/// <c>conv1.weight, conv1.bias, conv2.weight, conv2.bias, fc1.weight, fc1.bias, fc2.weight, fc2.bias</c>; the
/// parameter-free steps are named modules too (relu1, pool1, relu2, pool2, flatten, relu3) so hooks can capture them.
/// </summary>
public sealed class ReferenceCnn : Module
{
    public Conv2d Conv1 { get; }
    public Conv2d Conv2 { get; }
    public Linear Fc1 { get; }
    public Linear Fc2 { get; }
    private readonly Module _relu1, _pool1, _relu2, _pool2, _flatten, _relu3;

    public ReferenceCnn(Rng rng, int inChannels = 1, int imageSize = 28, int numClasses = 10)
    {
        int s = ((imageSize - 2) / 2 - 2) / 2;
        if (s <= 0) throw new AtlasArgumentException("image_size", $"the reference CNN needs images of at least 10×10, got {imageSize}");
        Conv1 = RegisterModule("conv1", new Conv2d(inChannels, 32, 3, rng));
        _relu1 = RegisterModule("relu1", new ReLU());
        _pool1 = RegisterModule("pool1", new MaxPool2d(2));
        Conv2 = RegisterModule("conv2", new Conv2d(32, 64, 3, rng));
        _relu2 = RegisterModule("relu2", new ReLU());
        _pool2 = RegisterModule("pool2", new MaxPool2d(2));
        _flatten = RegisterModule("flatten", new Flatten());
        Fc1 = RegisterModule("fc1", new Linear(64 * s * s, 128, rng));
        _relu3 = RegisterModule("relu3", new ReLU());
        Fc2 = RegisterModule("fc2", new Linear(128, numClasses, rng));
    }

    protected override Var OnForward(Var x)
    {
        x = _pool1.Forward(_relu1.Forward(Conv1.Forward(x)));
        x = _pool2.Forward(_relu2.Forward(Conv2.Forward(x)));
        x = _relu3.Forward(Fc1.Forward(_flatten.Forward(x)));
        return Fc2.Forward(x);
    }
}
