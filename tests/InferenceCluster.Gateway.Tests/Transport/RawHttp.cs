using System.Net.Sockets;
using System.Text;

namespace InferenceCluster.Gateway.Tests.Transport;

/// <summary>
/// HTTP/1.1 written byte by byte on a socket, for what no HTTP client sends: bad request lines, broken chunked
/// bodies, several requests on one connection, the last of them one the server refuses. Reads answers until the server
/// closes the connection.
/// </summary>
internal static class RawHttp
{
    /// <summary>Sends <paramref name="request"/> as it is and returns every answer the server wrote before it closed the connection.</summary>
    public static async Task<List<RawAnswer>> ExchangeAsync(Uri server, string request)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(server.Host, server.Port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.Latin1.GetBytes(request));

        // The send side stays open (Kestrel takes a half-closed connection for a client that left); the server closes
        // the connection after a refusal at once, the deadline is generous.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var received = new MemoryStream();
        await stream.CopyToAsync(received, timeout.Token);
        return Parse(received.ToArray());
    }

    /// <summary>The one answer to <paramref name="request"/>.</summary>
    public static async Task<RawAnswer> SendAsync(Uri server, string request) => Assert.Single(await ExchangeAsync(server, request));

    private static List<RawAnswer> Parse(byte[] bytes)
    {
        var answers = new List<RawAnswer>();
        var at = 0;
        while (at < bytes.Length)
        {
            var end = bytes.AsSpan(at).IndexOf("\r\n\r\n"u8);
            Assert.True(end >= 0, $"An answer without the end of its header block: {Encoding.Latin1.GetString(bytes, at, bytes.Length - at)}");
            var lines = Encoding.Latin1.GetString(bytes, at, end).Split("\r\n");
            at += end + 4;
            var headers = lines[1..].Select(line => line.Split(':', 2)).ToDictionary(pair => pair[0], pair => pair[1].Trim(), StringComparer.OrdinalIgnoreCase);
            var status = int.Parse(lines[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
            byte[] body;
            if (headers.TryGetValue("Content-Length", out var length))
            {
                body = bytes[at..(at + int.Parse(length, System.Globalization.CultureInfo.InvariantCulture))];
                at += body.Length;
            }
            else if (headers.TryGetValue("Transfer-Encoding", out var coding) && coding == "chunked")
            {
                using var chunks = new MemoryStream();
                while (true)
                {
                    var lineEnd = bytes.AsSpan(at).IndexOf("\r\n"u8);
                    var size = Convert.ToInt32(Encoding.Latin1.GetString(bytes, at, lineEnd), 16);
                    at += lineEnd + 2;
                    chunks.Write(bytes, at, size);
                    at += size + 2;
                    if (size == 0)
                    {
                        break;
                    }
                }

                body = chunks.ToArray();
            }
            else
            {
                body = bytes[at..];
                at = bytes.Length;
            }

            answers.Add(new RawAnswer(status, headers, body));
        }

        return answers;
    }
}
