using System.Globalization;
using System.Security;
using System.Text;

namespace InferenceCluster.Sweep.Reporting;

/// <summary>
/// chart.svg: accuracy (solid) and stop rate (dashed) against temperature, one colour per top_p.
/// Points sharing temperature and top_p (other axes) are averaged.
/// </summary>
internal static class SvgChart
{
    private const double W = 760, H = 420, Left = 60, Right = 200, Top = 40, Bottom = 60;
    private static readonly string[] Colours = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf"];

    /// <summary>The SVG document.</summary>
    public static string Render(string title, IReadOnlyList<PointSummary> summaries)
    {
        var sb = new StringBuilder();
        sb.AppendLine(Inv($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{W}\" height=\"{H}\" viewBox=\"0 0 {W} {H}\" font-family=\"sans-serif\" font-size=\"12\">"));
        sb.AppendLine(Inv($"<rect width=\"{W}\" height=\"{H}\" fill=\"white\"/>"));
        sb.AppendLine(Inv($"<text x=\"{W / 2}\" y=\"22\" text-anchor=\"middle\" font-size=\"15\">{SecurityElement.Escape(title)}</text>"));

        var temps = summaries.Select(s => s.Point.Temperature).Distinct().Order().ToList();
        var (tMin, tMax) = temps.Count == 0 ? (0.0, 1.0) : (temps[0], temps[^1]);
        if (tMax - tMin < 1e-9)
        {
            (tMin, tMax) = (tMin - 0.05, tMax + 0.05);
        }

        double X(double t) => Left + ((t - tMin) / (tMax - tMin) * (W - Left - Right));
        double Y(double v) => H - Bottom - (v * (H - Top - Bottom));

        Axes(sb, temps, X, Y);
        var lines = summaries.GroupBy(s => s.Point.TopP).OrderBy(g => g.Key).ToList();
        for (var i = 0; i < lines.Count; i++)
        {
            var colour = Colours[i % Colours.Length];
            var byT = lines[i].GroupBy(s => s.Point.Temperature).OrderBy(g => g.Key)
                .Select(g => (T: g.Key, Acc: g.Average(s => s.Accuracy), Stop: g.Average(s => s.StopRate))).ToList();
            Polyline(sb, byT.Select(p => (X(p.T), Y(p.Acc))), colour, dashed: false);
            Polyline(sb, byT.Select(p => (X(p.T), Y(p.Stop))), colour, dashed: true);
            var ly = Top + 10 + (i * 40);
            var lx = W - Right + 20;
            sb.AppendLine(Inv($"<line x1=\"{lx}\" y1=\"{ly}\" x2=\"{lx + 28}\" y2=\"{ly}\" stroke=\"{colour}\" stroke-width=\"2\"/><text x=\"{lx + 34}\" y=\"{ly + 4}\">accuracy, top_p={lines[i].Key:0.###}</text>"));
            sb.AppendLine(Inv($"<line x1=\"{lx}\" y1=\"{ly + 18}\" x2=\"{lx + 28}\" y2=\"{ly + 18}\" stroke=\"{colour}\" stroke-width=\"2\" stroke-dasharray=\"6 4\"/><text x=\"{lx + 34}\" y=\"{ly + 22}\">stop rate, top_p={lines[i].Key:0.###}</text>"));
        }

        sb.AppendLine("</svg>");
        return sb.ToString();
    }

    private static void Axes(StringBuilder sb, List<double> temps, Func<double, double> x, Func<double, double> y)
    {
        // Grid lines first so the axes are drawn over them.
        foreach (var v in new[] { 0, 0.25, 0.5, 0.75, 1 })
        {
            sb.AppendLine(Inv($"<line x1=\"{Left}\" y1=\"{y(v):0.#}\" x2=\"{W - Right}\" y2=\"{y(v):0.#}\" stroke=\"#ddd\"/><text x=\"{Left - 6}\" y=\"{y(v) + 4:0.#}\" text-anchor=\"end\">{v * 100:0}%</text>"));
        }

        sb.AppendLine(Inv($"<line x1=\"{Left}\" y1=\"{y(0)}\" x2=\"{W - Right}\" y2=\"{y(0)}\" stroke=\"black\"/>"));
        sb.AppendLine(Inv($"<line x1=\"{Left}\" y1=\"{y(0)}\" x2=\"{Left}\" y2=\"{y(1)}\" stroke=\"black\"/>"));

        // Every tick is labelled unless they would crowd; then every other one.
        var every = temps.Count > 10 ? 2 : 1;
        for (var i = 0; i < temps.Count; i++)
        {
            var label = i % every == 0 ? Inv($"<text x=\"{x(temps[i]):0.#}\" y=\"{y(0) + 18}\" text-anchor=\"middle\">{temps[i]:0.00}</text>") : "";
            sb.AppendLine(Inv($"<line x1=\"{x(temps[i]):0.#}\" y1=\"{y(0)}\" x2=\"{x(temps[i]):0.#}\" y2=\"{y(0) + 5}\" stroke=\"black\"/>{label}"));
        }

        sb.AppendLine(Inv($"<text x=\"{(Left + W - Right) / 2}\" y=\"{H - 15}\" text-anchor=\"middle\">temperature</text>"));
        sb.AppendLine(Inv($"<text transform=\"translate(16 {(Top + H - Bottom) / 2}) rotate(-90)\" text-anchor=\"middle\">rate (accuracy, stop rate)</text>"));
    }

    private static void Polyline(StringBuilder sb, IEnumerable<(double X, double Y)> points, string colour, bool dashed)
    {
        var pts = points.ToList();
        var path = string.Join(' ', pts.Select(p => Inv($"{p.X:0.#},{p.Y:0.#}")));
        sb.AppendLine(Inv($"<polyline points=\"{path}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\"{(dashed ? " stroke-dasharray=\"6 4\"" : "")}/>"));
        foreach (var p in pts)
        {
            sb.AppendLine(Inv($"<circle cx=\"{p.X:0.#}\" cy=\"{p.Y:0.#}\" r=\"3\" fill=\"{colour}\"/>"));
        }
    }

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
