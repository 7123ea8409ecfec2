using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Gateway.Testing;

/// <summary>
/// A tiny SMTP server on loopback (RFC 5321 commands EHLO, AUTH LOGIN/PLAIN, MAIL, RCPT, DATA, RSET, NOOP, QUIT):
/// records each message's envelope, credentials and text, so e-mail hand-offs are tested over a real SMTP session.
/// </summary>
public sealed class SmtpReceiver : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<ReceivedMail> _messages = new();
    private readonly Task _loop;

    public SmtpReceiver()
    {
        _listener.Start();
        _loop = Task.Run(AcceptAsync);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public IReadOnlyList<ReceivedMail> Messages => [.. _messages];

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _loop;
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            var stream = client.GetStream();
            using var reader = new StreamReader(stream, Encoding.ASCII);
            await using var writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
            await writer.WriteLineAsync("220 receiver.test ESMTP");
            string? from = null, user = null, password = null;
            var to = new List<string>();
            while (await reader.ReadLineAsync() is { } line)
            {
                var verb = line.Split(' ')[0].ToUpperInvariant();
                switch (verb)
                {
                    case "EHLO":
                        await writer.WriteLineAsync("250-receiver.test");
                        await writer.WriteLineAsync("250 AUTH LOGIN PLAIN");
                        break;
                    case "AUTH" when line.Split(' ') is [_, var mechanism, ..] && mechanism.Equals("PLAIN", StringComparison.OrdinalIgnoreCase):
                        var plain = line.Split(' ').Length > 2 ? line.Split(' ')[2] : await Challenge(writer, reader, string.Empty);
                        var parts = Encoding.UTF8.GetString(Convert.FromBase64String(plain)).Split('\0');
                        (user, password) = (parts[1], parts[2]);
                        await writer.WriteLineAsync("235 2.7.0 Authentication successful");
                        break;
                    case "AUTH":
                        user = Encoding.UTF8.GetString(Convert.FromBase64String(line.Split(' ').Length > 2 ? line.Split(' ')[2] : await Challenge(writer, reader, "VXNlcm5hbWU6")));
                        password = Encoding.UTF8.GetString(Convert.FromBase64String(await Challenge(writer, reader, "UGFzc3dvcmQ6")));
                        await writer.WriteLineAsync("235 2.7.0 Authentication successful");
                        break;
                    case "MAIL":
                        from = line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim().Trim('<', '>');
                        await writer.WriteLineAsync("250 OK");
                        break;
                    case "RCPT":
                        to.Add(line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim().Trim('<', '>'));
                        await writer.WriteLineAsync("250 OK");
                        break;
                    case "DATA":
                        await writer.WriteLineAsync("354 End data with <CR><LF>.<CR><LF>");
                        var text = new StringBuilder();
                        while (await reader.ReadLineAsync() is { } dataLine && dataLine != ".")
                        {
                            text.AppendLine(dataLine.StartsWith("..", StringComparison.Ordinal) ? dataLine[1..] : dataLine);
                        }

                        _messages.Enqueue(new ReceivedMail(from, [.. to], user, password, text.ToString()));
                        to.Clear();
                        await writer.WriteLineAsync("250 OK queued");
                        break;
                    case "QUIT":
                        await writer.WriteLineAsync("221 Bye");
                        return;
                    default:
                        await writer.WriteLineAsync("250 OK");
                        break;
                }
            }
        }
    }

    private static async Task<string> Challenge(StreamWriter writer, StreamReader reader, string prompt)
    {
        await writer.WriteLineAsync("334 " + prompt);
        return await reader.ReadLineAsync() ?? string.Empty;
    }
}

/// <summary>One message an SMTP receiver accepted: envelope, the credentials the client authenticated with, and the text.</summary>
public sealed record ReceivedMail(string? From, IReadOnlyList<string> To, string? User, string? Password, string Text);
