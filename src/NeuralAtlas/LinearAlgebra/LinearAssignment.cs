namespace NeuralAtlas.LinearAlgebra;

/// <summary>An optimal assignment: row i goes to column <see cref="RowToColumn"/>[i] (−1 when unassigned).</summary>
public sealed record Assignment(int[] RowToColumn, int[] ColumnToRow, double Total);

/// <summary>
/// The linear assignment problem (Hungarian method, Kuhn–Munkres), exact, O(r²·c) for an r×c matrix with
/// r ≤ c: shortest augmenting paths with dual potentials (Jonker–Volgenant style), one row at a time. Rectangular
/// matrices assign every row of the smaller side, like scipy.optimize.linear_sum_assignment. Used for channel
/// matching (G_ReLU measures), neuron matching and permutation alignment.
/// </summary>
public static class LinearAssignment
{
    /// <summary>The assignment of minimum (or, with <paramref name="maximize"/>, maximum) total cost.</summary>
    public static Assignment Solve(DMatrix cost, bool maximize = false)
    {
        ArgumentNullException.ThrowIfNull(cost);
        for (int i = 0; i < cost.Data.Length; i++)
            if (!double.IsFinite(cost.Data[i]))
                throw new AtlasArgumentException("cost", $"entry ({i / cost.Cols}, {i % cost.Cols}) is {cost.Data[i]}; assignment costs must be finite");
        int r = cost.Rows, c = cost.Cols;
        if (r == 0 || c == 0) return new Assignment(Enumerable.Repeat(-1, r).ToArray(), Enumerable.Repeat(-1, c).ToArray(), 0);
        bool transposed = r > c;
        DMatrix a = transposed ? cost.Transpose() : cost;
        double sign = maximize ? -1 : 1;
        int[] colOfRow = SolveWide(a, sign);
        int rows = a.Rows;
        var rowToCol = new int[r];
        var colToRow = new int[c];
        Array.Fill(rowToCol, -1);
        Array.Fill(colToRow, -1);
        double total = 0;
        for (int i = 0; i < rows; i++)
        {
            int j = colOfRow[i];
            total += a[i, j];
            if (transposed) { rowToCol[j] = i; colToRow[i] = j; }
            else { rowToCol[i] = j; colToRow[j] = i; }
        }
        return new Assignment(rowToCol, colToRow, total);
    }

    /// <summary>Minimises Σ sign·a[i, p(i)] over injective p for rows ≤ cols; returns p.</summary>
    private static int[] SolveWide(DMatrix a, double sign)
    {
        int n = a.Rows, m = a.Cols;
        // 1-based potentials and matching, column 0 is the virtual start of each augmenting path.
        var u = new double[n + 1];
        var v = new double[m + 1];
        var match = new int[m + 1];   // match[j] = row matched to column j (0 = free)
        var way = new int[m + 1];
        var minv = new double[m + 1];
        var used = new bool[m + 1];
        double[] data = a.Data;
        for (int i = 1; i <= n; i++)
        {
            match[0] = i;
            int j0 = 0;
            Array.Fill(minv, double.PositiveInfinity);
            Array.Clear(used);
            do
            {
                used[j0] = true;
                int i0 = match[j0], j1 = -1;
                double delta = double.PositiveInfinity;
                int rowBase = (i0 - 1) * m;
                for (int j = 1; j <= m; j++)
                {
                    if (used[j]) continue;
                    double cur = sign * data[rowBase + j - 1] - u[i0] - v[j];
                    if (cur < minv[j]) { minv[j] = cur; way[j] = j0; }
                    if (minv[j] < delta) { delta = minv[j]; j1 = j; }
                }
                if (j1 < 0) throw new AtlasException("linear assignment: no augmenting path (costs too large to compare)");
                for (int j = 0; j <= m; j++)
                {
                    if (used[j]) { u[match[j]] += delta; v[j] -= delta; }
                    else minv[j] -= delta;
                }
                j0 = j1;
            } while (match[j0] != 0);
            do
            {
                int j1 = way[j0];
                match[j0] = match[j1];
                j0 = j1;
            } while (j0 != 0);
        }
        var p = new int[n];
        for (int j = 1; j <= m; j++)
            if (match[j] != 0) p[match[j] - 1] = j - 1;
        return p;
    }
}
