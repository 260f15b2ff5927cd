namespace NeuralAtlas.Cli.Commands.Robustness;

/// <summary>Parses severities written as "3", "1..5" or "1,3,5".</summary>
public static class SeverityList
{
    public static int[] Parse(string text)
    {
        var result = new SortedSet<int>();
        foreach (string part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int dots = part.IndexOf("..", StringComparison.Ordinal);
            if (dots >= 0)
            {
                int a = One(part[..dots]), b = One(part[(dots + 2)..]);
                if (a > b) throw new AtlasArgumentException("--severity", $"range '{part}' runs backwards");
                for (int s = a; s <= b; s++) result.Add(s);
            }
            else result.Add(One(part));
        }
        if (result.Count == 0) throw new AtlasArgumentException("--severity", "no severity given; use e.g. 3, 1..5 or 1,3,5");
        return result.ToArray();
    }

    private static int One(string s) =>
        int.TryParse(s, out int v) && v >= 1 && v <= 5 ? v : throw new AtlasArgumentException("--severity", $"'{s}' is not a severity in 1..5");
}
