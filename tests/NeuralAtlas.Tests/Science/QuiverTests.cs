using System.Text.Json;
using NeuralAtlas.IO;
using NeuralAtlas.Science.Quivers;
using NeuralAtlas.Tensors;
using NeuralAtlas.Tests.Support;

namespace NeuralAtlas.Tests.Science;

public class QuiverTests
{
    private static Quiver T(QuiverFamily f, int n, int? p = null) => QuiverType.Create(f, n, p).Representative();

    [Fact]
    public void MutationIsAnInvolutionAndMatchesTheRule()
    {
        var rng = new Rng(4);
        foreach (var q in MutationClass.Enumerate(T(QuiverFamily.AffineE, 8)).Take(200))
        {
            for (int k = 0; k < q.N; k++) Assert.Equal(q, q.Mutate(k).Mutate(k));
            // Mutation commutes with relabelling.
            var perm = rng.Permutation(q.N);
            int k0 = rng.NextInt(q.N);
            Assert.Equal(q.Mutate(k0).Permute(perm), q.Permute(perm).Mutate(perm[k0]));
        }
        // The rule on a 3-cycle: mutating at the middle of 0 → 1 → 2 adds 0 → 2 and reverses both arrows.
        var m = Quiver.FromArrows(3, [(0, 1), (1, 2)]).Mutate(1);
        Assert.Equal(Quiver.FromArrows(3, [(1, 0), (2, 1), (0, 2)]), m);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(8)]
    public void TypeAClassSizesMatchTorkildsen(int n)
    {
        var t = QuiverType.Create(QuiverFamily.A, n);
        Assert.Equal(t.PublishedClassSize(), MutationClass.EnumerateKeys(t.Representative()).Count);
    }

    [Theory]
    [InlineData(4, 6)]
    [InlineData(5, 26)]
    [InlineData(6, 80)]
    [InlineData(7, 246)]
    [InlineData(8, 810)]
    public void TypeDClassSizesMatchBuanTorkildsenFormula(int n, int expected)
    {
        var t = QuiverType.Create(QuiverFamily.D, n);
        Assert.Equal(expected, t.PublishedClassSize());
        Assert.Equal(expected, MutationClass.EnumerateKeys(t.Representative()).Count);
    }

    [Fact]
    public void TypeEClassSizes()
    {
        foreach (int n in new[] { 6, 7 })
        {
            var t = QuiverType.Create(QuiverFamily.E, n);
            Assert.Equal(t.PublishedClassSize(), MutationClass.EnumerateKeys(t.Representative()).Count);
        }
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void LargeClassSizes()
    {
        Assert.Equal(1574, MutationClass.EnumerateKeys(T(QuiverFamily.E, 8)).Count);
        Assert.Equal(9252, MutationClass.EnumerateKeys(T(QuiverFamily.D, 10)).Count);
        Assert.Equal(2704, MutationClass.EnumerateKeys(T(QuiverFamily.D, 9)).Count);
    }

    [Fact]
    public void CanonicalFormIsInvariantAndSeparates()
    {
        var rng = new Rng(9);
        var cls = MutationClass.Enumerate(T(QuiverFamily.D, 7));
        var keys = new HashSet<string>();
        foreach (var q in cls)
        {
            string key = CanonicalForm.Key(q);
            Assert.True(keys.Add(key));
            for (int r = 0; r < 3; r++) Assert.Equal(key, CanonicalForm.Key(q.Permute(rng.Permutation(q.N))));
            Assert.Equal(q, CanonicalForm.Canonical(q.Permute(rng.Permutation(q.N))));
        }
        // Opposite orientations of a 3-path are isomorphic; a 3-path and a 3-cycle are not.
        Assert.True(CanonicalForm.Isomorphic(Quiver.FromArrows(3, [(0, 1), (1, 2)]), Quiver.FromArrows(3, [(2, 1), (1, 0)])));
        Assert.False(CanonicalForm.Isomorphic(Quiver.FromArrows(3, [(0, 1), (1, 2)]), Quiver.FromArrows(3, [(0, 1), (1, 2), (2, 0)])));
    }

    [Fact]
    public void TypeARecognitionAgreesWithEnumeration()
    {
        for (int n = 2; n <= 7; n++)
        {
            Assert.All(MutationClass.Enumerate(T(QuiverFamily.A, n)), q => Assert.True(TypeRecognition.IsTypeA(q), q.ToString()));
            if (n >= 4) Assert.All(MutationClass.Enumerate(T(QuiverFamily.D, n)), q => Assert.False(TypeRecognition.IsTypeA(q), q.ToString()));
        }
    }

    private static void CheckVatne(int n)
    {
        var dClass = MutationClass.Enumerate(T(QuiverFamily.D, n));
        var shapes = new int[5];
        foreach (var q in dClass)
        {
            var s = TypeRecognition.VatneShape(q);
            Assert.True(s is not null, $"D{n} quiver not recognised: {q}");
            shapes[s!.Value]++;
        }
        // Every other class with n vertices is rejected.
        var others = new List<QuiverType> { QuiverType.Create(QuiverFamily.A, n) };
        if (n >= 6 && n <= 8) others.Add(QuiverType.Create(QuiverFamily.E, n));
        if (n >= 5) others.Add(QuiverType.Create(QuiverFamily.AffineD, n));
        if (n >= 7 && n <= 9) others.Add(QuiverType.Create(QuiverFamily.AffineE, n));
        for (int p = (n + 1) / 2; p < n; p++) others.Add(QuiverType.Create(QuiverFamily.AffineA, n, p));
        foreach (var t in others)
            foreach (var q in MutationClass.Enumerate(t.Representative()))
                Assert.False(TypeRecognition.IsTypeD(q), $"{t} quiver recognised as type D: {q}");
    }

    [Theory]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    public void VatneCriterionAgreesWithEnumeration(int n) => CheckVatne(n);

    [Theory]
    [Trait("Category", "Slow")]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(10)]
    public void VatneCriterionAgreesWithEnumerationLarge(int n) => CheckVatne(n);

    [Fact]
    public void VatneCriterionAgreesOnRandomQuivers()
    {
        var rng = new Rng(21);
        foreach (int n in new[] { 5, 6 })
        {
            var dKeys = new HashSet<string>(MutationClass.EnumerateKeys(T(QuiverFamily.D, n)));
            int positives = 0;
            for (int trial = 0; trial < 3000; trial++)
            {
                var m = new int[n * n];
                for (int i = 0; i < n; i++)
                    for (int j = i + 1; j < n; j++)
                    {
                        int v = rng.NextInt(10) < 6 ? 0 : (rng.NextInt(2) == 0 ? 1 : -1);
                        m[i * n + j] = v; m[j * n + i] = -v;
                    }
                var q = Quiver.FromMatrix(n, m);
                bool inClass = dKeys.Contains(CanonicalForm.Key(q));
                Assert.Equal(inClass, TypeRecognition.IsTypeD(q));
                if (inClass) positives++;
            }
            Assert.True(positives > 10, $"only {positives} random D{n} quivers");
        }
    }

    [Fact]
    public void NonexistentTypesAndInfiniteClassesAreErrors()
    {
        Assert.Contains("E_9", Assert.Throws<AtlasArgumentException>(() => QuiverType.Create(QuiverFamily.E, 9)).Message);
        Assert.Contains("7–9", Assert.Throws<AtlasArgumentException>(() => QuiverType.Create(QuiverFamily.AffineE, 6)).Message);
        Assert.Throws<AtlasArgumentException>(() => QuiverType.Create(QuiverFamily.D, 3));
        Assert.Throws<AtlasArgumentException>(() => QuiverType.Create(QuiverFamily.AffineA, 5, 2));
        // 0 ⇒ 1 → 2 with a double arrow is mutation-infinite.
        var wild = Quiver.FromArrows(3, [(0, 1), (0, 1), (1, 2)]);
        Assert.Contains("infinite", Assert.Throws<AtlasArgumentException>(() => MutationClass.Enumerate(wild)).Message);
        Assert.Throws<AtlasArgumentException>(() => Quiver.FromMatrix(2, [0, 1, 1, 0]));
    }

    [Fact]
    public void CliPrintsClassSizeAndWritesJson()
    {
        using var dir = new TempDir();
        string path = dir.File("c.json");
        var r = CliRunner.Run("quiver", "class", "--type", "A", "--rank", "5", "--out", path);
        Assert.True(r.ExitCode == 0, r.Err);
        Assert.Equal("19", r.Out.Trim().Split('\n').Last().Trim());
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        Assert.Equal(19, doc.RootElement.GetProperty("matrices").GetArrayLength());
        var first = doc.RootElement.GetProperty("matrices")[0];
        Assert.Equal(5, first.GetArrayLength());

        var bad = CliRunner.Run("quiver", "class", "--type", "E", "--rank", "9");
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("E_9", bad.Err);
        Assert.Equal(2, CliRunner.Run("quiver", "class", "--type", "F", "--rank", "4").ExitCode);
    }

    [Fact]
    public void DatasetHasAllTypesWithCorrectLabels()
    {
        using var dir = new TempDir();
        string path = dir.File("q.npz");
        var r = CliRunner.Run("quiver", "dataset", "--min-vertices", "5", "--max-vertices", "7", "--max-per-type", "30", "--out", path);
        Assert.True(r.ExitCode == 0, r.Err);
        var a = Npz.Read(path);
        long[] labels = a["label"].ToInt64s(), verts = a["vertices"].ToInt64s();
        int m = labels.Length;
        Assert.Equal([m, 7, 7], a["matrices"].Shape);
        var mats = a["matrices"].ToInt64s();
        var dKeys = new Dictionary<int, HashSet<string>>();
        for (int s = 0; s < m; s++)
        {
            int n = (int)verts[s];
            var b = new int[n * n];
            for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) b[i * n + j] = (int)mats[s * 49 + i * 7 + j];
            var q = Quiver.FromMatrix(n, b);
            // Type D labels are exactly the quivers Vatne's criterion accepts.
            Assert.Equal(labels[s] == (long)QuiverFamily.D, TypeRecognition.IsTypeD(q));
            Assert.Equal(labels[s] == (long)QuiverFamily.A, TypeRecognition.IsTypeA(q));
        }
        Assert.Equal(6, labels.Distinct().Count());
    }
}

public class QuiverGnnTests
{
    [Fact]
    public void GnnIsInvariantToRelabellingAndTrainsOnUnseenSize()
    {
        var rng = new Rng(1);
        var net = new QuiverGnn(6, rng, hidden: 8, layers: 2);
        var q = MutationClass.Enumerate(QuiverType.Create(QuiverFamily.D, 6).Representative())[10];
        var a = net.Logits(QuiverGnn.GraphBatch.From([q])).Value.Data;
        var b = net.Logits(QuiverGnn.GraphBatch.From([q.Permute(rng.Permutation(6))])).Value.Data;
        for (int i = 0; i < a.Length; i++) Assert.Equal(a[i], b[i], 4);

        var train = QuiverDataset.Build(QuiverDataset.Types(4, 6, [QuiverFamily.A, QuiverFamily.D]), 40, 1);
        var test = QuiverDataset.Build(QuiverDataset.Types(7, 7, [QuiverFamily.A, QuiverFamily.D]), 40, 2);
        var r = QuiverGnn.TrainAndEvaluate(train, test, 60, 3, hidden: 16, layers: 3);
        Assert.Equal(80, r.Test);
        Assert.Equal(80, r.PerType.Values.Sum(v => v.Total));
        Assert.True(double.IsFinite(r.FinalLoss));
        Assert.True(r.Accuracy > 0.6, $"accuracy {r.Accuracy}");
    }
}
