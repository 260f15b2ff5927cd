namespace NeuralAtlas.Report.Plotting;

/// <summary>
/// A linear or logarithmic axis: maps data values to pixels and chooses "nice" ticks (1, 2, 5 × 10^k) so labels are
/// short and round.
/// </summary>
public sealed class Axis
{
    public double Min { get; private set; }
    public double Max { get; private set; }
    public bool Log { get; }
    public string Label { get; }

    public Axis(double min, double max, string label, bool log = false, bool nice = true)
    {
        Log = log;
        Label = label;
        if (!double.IsFinite(min) || !double.IsFinite(max)) { min = 0; max = 1; }
        if (log)
        {
            min = Math.Max(min, 1e-300);
            max = Math.Max(max, min * 10);
        }
        if (max <= min)
        {
            double pad = min == 0 ? 1 : Math.Abs(min) * 0.1;
            min -= pad;
            max += pad;
        }
        if (nice && !log)
        {
            double step = NiceStep((max - min) / 5);
            min = Math.Floor(min / step) * step;
            max = Math.Ceiling(max / step) * step;
        }
        if (log)
        {
            min = Math.Pow(10, Math.Floor(Math.Log10(min)));
            max = Math.Pow(10, Math.Ceiling(Math.Log10(max)));
        }
        Min = min;
        Max = max;
    }

    public static Axis Fit(IEnumerable<double> values, string label, bool log = false, bool includeZero = false)
    {
        var v = values.Where(double.IsFinite).Where(x => !log || x > 0).ToList();
        if (includeZero && !log) v.Add(0);
        return v.Count == 0 ? new Axis(0, 1, label, log) : new Axis(v.Min(), v.Max(), label, log);
    }

    /// <summary>Fraction of the axis (0 at Min, 1 at Max).</summary>
    public double Fraction(double v) =>
        Log ? (Math.Log10(Math.Max(v, 1e-300)) - Math.Log10(Min)) / (Math.Log10(Max) - Math.Log10(Min)) : (v - Min) / (Max - Min);

    public IReadOnlyList<double> Ticks()
    {
        var ticks = new List<double>();
        if (Log)
        {
            for (double t = Min; t <= Max * 1.0001; t *= 10) ticks.Add(t);
            return ticks;
        }
        double step = NiceStep((Max - Min) / 5);
        for (double t = Math.Ceiling(Min / step - 1e-9) * step; t <= Max + step * 1e-9; t += step)
            ticks.Add(Math.Abs(t) < step * 1e-9 ? 0 : t);
        return ticks;
    }

    public static double NiceStep(double raw)
    {
        if (raw <= 0 || !double.IsFinite(raw)) return 1;
        double mag = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        double f = raw / mag;
        return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * mag;
    }

    public static string Format(double v)
    {
        double a = Math.Abs(v);
        if (a != 0 && (a >= 1e5 || a < 1e-3)) return v.ToString("0.#e0", System.Globalization.CultureInfo.InvariantCulture);
        return v.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture);
    }
}
