using NeuralAtlas.Science.Haldane;

namespace NeuralAtlas.Tests.Science;

public class ChernNumberTests
{
    [Theory]
    [InlineData(0.5, 1)]
    [InlineData(1.5, 1)]
    [InlineData(-0.5, -1)]
    [InlineData(-1.7, -1)]
    [InlineData(2.5, 0)]
    [InlineData(-3.0, 0)]
    public void QwzModelHasKnownChernNumber(double m, int expected)
    {
        foreach (int grid in new[] { 32, 64, 96 })
        {
            var (cw, lat) = ChernNumber.Compute(HaldanePair.Qwz(m), grid);
            Assert.Equal(expected, (int)Math.Round(lat));
            Assert.True(Math.Abs(lat - expected) < 1e-9, $"lattice {lat} at grid {grid}");
            Assert.True(Math.Abs(cw - expected) < 0.05, $"Chern–Weil {cw} at grid {grid}");
        }
    }
}
