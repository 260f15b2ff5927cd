namespace NeuralAtlas.Autograd;

/// <summary>
/// One recorded operation: its inputs and the rule that maps the gradient of its output to the gradients of its
/// inputs. Rules are written with <see cref="F"/> operations, so when the backward pass is recorded
/// (create_graph) the gradients are themselves differentiable.
/// </summary>
public sealed class Node
{
    /// <summary>Name of the operation (for messages and debugging), e.g. "conv2d".</summary>
    public string Name { get; }

    internal Var[] Inputs { get; }

    /// <summary>Given d(loss)/d(output), returns d(loss)/d(input) for each input (null where an input needs none).</summary>
    internal Func<Var, Var?[]> BackwardRule { get; }

    internal Node(string name, Var[] inputs, Func<Var, Var?[]> backward)
    {
        Name = name;
        Inputs = inputs;
        BackwardRule = backward;
    }
}
