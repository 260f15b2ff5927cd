using NeuralAtlas.Autograd;
using NeuralAtlas.Nn;
using NeuralAtlas.Nn.Optim;
using NeuralAtlas.Tensors;

namespace NeuralAtlas.Science.Quivers;

/// <summary>
/// A directed message-passing network on quivers in the spirit of DirGINE: each layer sends GINE messages
/// ReLU(h_u + E(e)) along arrows and, with separate weights, against them (edge feature e = one-hot multiplicity
/// 1 or 2), and updates h_v ← ReLU(W [h_v ‖ Σ_in ‖ Σ_out]); the graph readout is the sum of node states followed by a
/// two-layer head. Call <see cref="Logits"/> with a <see cref="GraphBatch"/>; the plain <see cref="Module.Forward"/>
/// has no graph to work on.
/// </summary>
public sealed class QuiverGnn : Module
{
    /// <summary>Several quivers as one disjoint union: arrows src→dst with multiplicity, and each node's graph.</summary>
    public sealed record GraphBatch(int Nodes, int Graphs, int[] Src, int[] Dst, float[] EdgeFeatures, int[] GraphOf)
    {
        public static GraphBatch From(IReadOnlyList<Quiver> quivers)
        {
            var src = new List<int>(); var dst = new List<int>(); var ef = new List<float>(); var gof = new List<int>();
            int offset = 0;
            for (int g = 0; g < quivers.Count; g++)
            {
                var q = quivers[g];
                for (int i = 0; i < q.N; i++)
                {
                    gof.Add(g);
                    for (int j = 0; j < q.N; j++)
                    {
                        int m = q[i, j];
                        if (m <= 0) continue;
                        src.Add(offset + i); dst.Add(offset + j);
                        ef.Add(m == 1 ? 1 : 0); ef.Add(m >= 2 ? 1 : 0);
                    }
                }
                offset += q.N;
            }
            return new GraphBatch(offset, quivers.Count, [.. src], [.. dst], [.. ef], [.. gof]);
        }
    }

    private readonly int _hidden;
    private readonly Linear _embed;
    private readonly List<(Linear In, Linear Out, Linear Update)> _layers = new();
    private readonly Linear _head1, _head2;

    public QuiverGnn(int classes, Rng rng, int hidden = 32, int layers = 3)
    {
        if (classes < 2) throw new AtlasArgumentException("classes", $"need at least 2, got {classes}");
        if (hidden < 1 || layers < 1) throw new AtlasArgumentException("hidden/layers", "must be positive");
        _hidden = hidden;
        _embed = RegisterModule("embed", new Linear(1, hidden, rng));
        for (int l = 0; l < layers; l++)
            _layers.Add((RegisterModule($"edge_in{l}", new Linear(2, hidden, rng)), RegisterModule($"edge_out{l}", new Linear(2, hidden, rng)),
                RegisterModule($"update{l}", new Linear(3 * hidden, hidden, rng))));
        _head1 = RegisterModule("head1", new Linear(hidden, hidden, rng));
        _head2 = RegisterModule("head2", new Linear(hidden, classes, rng));
    }

    protected override Var OnForward(Var input) =>
        throw new AtlasArgumentException("input", "QuiverGnn needs the arrows of the quivers: call Logits(GraphBatch)");

    public Var Logits(GraphBatch b) => Logits(b, new Var(new Tensor([b.Src.Length, 2], b.EdgeFeatures)));

    /// <summary>Logits with the edge features given as a variable, so that gradients with respect to them can be taken.</summary>
    public Var Logits(GraphBatch b, Var e)
    {
        if (e.Shape.Length != 2 || e.Shape[0] != b.Src.Length || e.Shape[1] != 2)
            throw new AtlasArgumentException("edgeFeatures", $"expected {b.Src.Length}×2 edge features, got [{string.Join(", ", e.Shape)}]");
        var ones = new Tensor([b.Nodes, 1], Enumerable.Repeat(1f, b.Nodes).ToArray());
        var h = F.Relu(_embed.Forward(new Var(ones)));
        foreach (var (lin, lout, upd) in _layers)
        {
            Var aggIn, aggOut;
            if (b.Src.Length == 0)
            {
                aggIn = new Var(new Tensor([b.Nodes, _hidden]));
                aggOut = aggIn;
            }
            else
            {
                var mIn = F.Relu(F.Add(F.IndexSelect(h, 0, b.Src), lin.Forward(e)));
                aggIn = F.IndexAddToZeros(mIn, [b.Nodes, _hidden], 0, b.Dst);
                var mOut = F.Relu(F.Add(F.IndexSelect(h, 0, b.Dst), lout.Forward(e)));
                aggOut = F.IndexAddToZeros(mOut, [b.Nodes, _hidden], 0, b.Src);
            }
            h = F.Relu(upd.Forward(F.Cat([h, aggIn, aggOut], 1)));
        }
        var pooled = F.IndexAddToZeros(h, [b.Graphs, _hidden], 0, b.GraphOf);
        return _head2.Forward(F.Relu(_head1.Forward(pooled)));
    }

    public sealed record Result(int Train, int Test, double Accuracy, SortedDictionary<string, (int Correct, int Total)> PerType, double FinalLoss);

    /// <summary>Trains on one data set and reports accuracy per family on another (labels are <see cref="QuiverFamily"/>).</summary>
    public static Result TrainAndEvaluate(QuiverDataset train, QuiverDataset test, int epochs, ulong seed, double lr = 3e-3, int batch = 32, int hidden = 32, int layers = 3)
    {
        if (train.Items.Count == 0 || test.Items.Count == 0) throw new AtlasArgumentException("data", "need quivers in both the training and the test set");
        var (net, last) = Train(train, epochs, seed, lr, batch, hidden, layers);
        return Evaluate(net, train.Items.Count, test, batch, last);
    }

    /// <summary>Trains a network on a data set (labels are <see cref="QuiverFamily"/>); returns it with the last epoch's mean loss.</summary>
    public static (QuiverGnn Net, double FinalLoss) Train(QuiverDataset train, int epochs, ulong seed, double lr = 3e-3, int batch = 32, int hidden = 32, int layers = 3)
    {
        if (train.Items.Count == 0) throw new AtlasArgumentException("data", "need quivers in the training set");
        if (epochs < 1) throw new AtlasArgumentException("epochs", $"must be at least 1, got {epochs}");
        int classes = Enum.GetValues<QuiverFamily>().Length;
        var rng = new Rng(seed);
        var net = new QuiverGnn(classes, rng, hidden, layers);
        var opt = new Adam(net.Parameters(), lr);
        var order = Enumerable.Range(0, train.Items.Count).ToArray();
        double last = double.NaN;
        for (int ep = 0; ep < epochs; ep++)
        {
            rng.Shuffle(order.AsSpan());
            double sum = 0; int nb = 0;
            for (int b0 = 0; b0 < order.Length; b0 += batch)
            {
                var idx = order[b0..Math.Min(order.Length, b0 + batch)];
                var gb = GraphBatch.From(idx.Select(i => train.Items[i].Quiver).ToList());
                var y = new Tensor([idx.Length], idx.Select(i => (float)(int)train.Items[i].Type.Family).ToArray());
                opt.ZeroGrad();
                var loss = F.CrossEntropy(net.Logits(gb), y);
                loss.Backward();
                opt.Step();
                sum += loss.Value.Data[0]; nb++;
            }
            last = sum / nb;
            if (!double.IsFinite(last)) throw new AtlasArgumentException("lr", $"training diverged at epoch {ep + 1}; lower the learning rate");
        }
        return (net, last);
    }

    private static Result Evaluate(QuiverGnn net, int trainCount, QuiverDataset test, int batch, double last)
    {
        int classes = Enum.GetValues<QuiverFamily>().Length;
        var per = new SortedDictionary<string, (int, int)>();
        int correct = 0;
        using (GradMode.NoGrad())
        {
            for (int b0 = 0; b0 < test.Items.Count; b0 += batch)
            {
                var items = test.Items.Skip(b0).Take(batch).ToList();
                var logits = net.Logits(GraphBatch.From(items.Select(i => i.Quiver).ToList())).Value;
                for (int r = 0; r < items.Count; r++)
                {
                    int arg = 0;
                    for (int c = 1; c < classes; c++) if (logits.Data[r * classes + c] > logits.Data[r * classes + arg]) arg = c;
                    bool ok = arg == (int)items[r].Type.Family;
                    string key = QuiverType.FamilyName(items[r].Type.Family);
                    var (cc, tt) = per.GetValueOrDefault(key);
                    per[key] = (cc + (ok ? 1 : 0), tt + 1);
                    if (ok) correct++;
                }
            }
        }
        return new Result(trainCount, test.Items.Count, (double)correct / test.Items.Count, per, last);
    }
}
