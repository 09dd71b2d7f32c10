using System.Globalization;
using System.Net;
using System.Text;

namespace InferenceCluster.Scaling;

/// <summary>Small self-contained SVG charts (lines over a numeric x axis, grouped bars) for docs/scaling.md.</summary>
internal static class SvgChart
{
    private const int Width = 640;
    private const int Height = 360;
    private const int Left = 70;
    private const int Right = 160;
    private const int Top = 40;
    private const int Bottom = 50;
    private static readonly string[] Colors = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd"];

    /// <summary>Lines over x values placed evenly (the x values are labels, e.g. 1, 2, 4, 8, 16 workers).</summary>
    public static string Lines(string title, string xLabel, string yLabel, IReadOnlyList<double> x,
        IReadOnlyList<(string Name, IReadOnlyList<double> Y)> series)
    {
        var max = NiceMax(series.SelectMany(s => s.Y).Where(double.IsFinite).DefaultIfEmpty(1).Max());
        var svg = Start(title, xLabel, yLabel, max);
        double X(int i) => Left + ((Width - Left - Right) * (x.Count == 1 ? 0.5 : i / (double)(x.Count - 1)));
        for (var i = 0; i < x.Count; i++)
        {
            svg.Append(Text(X(i), Height - Bottom + 18, Format(x[i]), "middle"));
        }

        for (var s = 0; s < series.Count; s++)
        {
            var (name, values) = series[s];
            var points = string.Join(' ', values.Select((v, i) => $"{F(X(i))},{F(Y(v, max))}"));
            svg.Append(CultureInfo.InvariantCulture, $"<polyline fill=\"none\" stroke=\"{Colors[s % Colors.Length]}\" stroke-width=\"2\"{(s > 0 ? " stroke-dasharray=\"6 4\"" : "")} points=\"{points}\"/>\n");
            for (var i = 0; i < values.Count; i++)
            {
                svg.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{F(X(i))}\" cy=\"{F(Y(values[i], max))}\" r=\"3\" fill=\"{Colors[s % Colors.Length]}\"/>\n");
            }

            Legend(svg, s, name);
        }

        return svg.Append("</svg>\n").ToString();
    }

    /// <summary>Bars grouped by category, one colour per series.</summary>
    public static string Bars(string title, string yLabel, IReadOnlyList<string> groups,
        IReadOnlyList<(string Name, IReadOnlyList<double> Values)> series)
    {
        var max = NiceMax(series.SelectMany(s => s.Values).Where(double.IsFinite).DefaultIfEmpty(1).Max());
        var svg = Start(title, "", yLabel, max);
        var groupWidth = (Width - Left - Right) / (double)groups.Count;
        var barWidth = groupWidth * 0.8 / series.Count;
        for (var g = 0; g < groups.Count; g++)
        {
            var x0 = Left + (g * groupWidth) + (groupWidth * 0.1);
            svg.Append(Text(Left + ((g + 0.5) * groupWidth), Height - Bottom + 18, groups[g], "middle"));
            for (var s = 0; s < series.Count; s++)
            {
                var value = series[s].Values[g];
                var y = Y(double.IsFinite(value) ? value : 0, max);
                svg.Append(CultureInfo.InvariantCulture,
                    $"<rect x=\"{F(x0 + (s * barWidth))}\" y=\"{F(y)}\" width=\"{F(barWidth - 2)}\" height=\"{F(Height - Bottom - y)}\" fill=\"{Colors[s % Colors.Length]}\"/>\n");
                svg.Append(Text(x0 + ((s + 0.5) * barWidth), y - 4, Format(value), "middle", 10));
            }
        }

        for (var s = 0; s < series.Count; s++)
        {
            Legend(svg, s, series[s].Name);
        }

        return svg.Append("</svg>\n").ToString();
    }

    private static StringBuilder Start(string title, string xLabel, string yLabel, double max)
    {
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture,
            $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" viewBox=\"0 0 {Width} {Height}\" font-family=\"sans-serif\" font-size=\"12\">\n");
        svg.Append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        svg.Append(Text(Width / 2.0, 22, title, "middle", 14));
        for (var i = 0; i <= 4; i++)
        {
            var value = max * i / 4;
            var y = Y(value, max);
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{F(y)}\" y2=\"{F(y)}\" stroke=\"#ddd\"/>\n");
            svg.Append(Text(Left - 6, y + 4, Format(value), "end"));
        }

        svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" x2=\"{Left}\" y1=\"{Top}\" y2=\"{Height - Bottom}\" stroke=\"#333\"/>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{Height - Bottom}\" y2=\"{Height - Bottom}\" stroke=\"#333\"/>\n");
        svg.Append(Text((Left + Width - Right) / 2.0, Height - 12, xLabel, "middle"));
        svg.Append(CultureInfo.InvariantCulture,
            $"<text x=\"16\" y=\"{F((Top + Height - Bottom) / 2.0)}\" text-anchor=\"middle\" transform=\"rotate(-90 16 {F((Top + Height - Bottom) / 2.0)})\">{WebUtility.HtmlEncode(yLabel)}</text>\n");
        return svg;
    }

    private static void Legend(StringBuilder svg, int index, string name)
    {
        var y = Top + 10 + (index * 18);
        svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{Width - Right + 12}\" y=\"{y - 9}\" width=\"12\" height=\"12\" fill=\"{Colors[index % Colors.Length]}\"/>\n");
        svg.Append(Text(Width - Right + 30, y + 1, name, "start", 11));
    }

    private static double Y(double value, double max) => Height - Bottom - ((Height - Top - Bottom) * value / max);

    private static double NiceMax(double max)
    {
        if (max <= 0)
        {
            return 1;
        }

        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(max)));
        return new[] { 1, 2, 2.5, 5, 10 }.Select(m => m * magnitude).First(m => m >= max);
    }

    private static string Text(double x, double y, string text, string anchor, int size = 12) => string.Create(CultureInfo.InvariantCulture,
        $"<text x=\"{F(x)}\" y=\"{F(y)}\" text-anchor=\"{anchor}\" font-size=\"{size}\">{WebUtility.HtmlEncode(text)}</text>\n");

    private static string F(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);

    private static string Format(double value) => !double.IsFinite(value) ? "n/a"
        : Math.Abs(value) >= 100 ? value.ToString("#,0", CultureInfo.InvariantCulture)
        : Math.Abs(value) >= 10 ? value.ToString("0.#", CultureInfo.InvariantCulture)
        : value.ToString("0.##", CultureInfo.InvariantCulture);
}
