using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace Coordinator.Faults.Tests.Support;

/// <summary>
/// Something that is not one of the operation's nodes, listening on loopback where a node could be dialled (a
/// dead node's remoting port): a TLS server with a certificate of its own choosing, one that sends garbage, or one
/// that accepts and stays silent. It counts the connections it took, so a test knows it was dialled.
/// </summary>
public sealed class Stranger : IDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Func<Stream, CancellationToken, Task> _serve;
    private int _connections;

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;
    public int Connections => Volatile.Read(ref _connections);

    private Stranger(int port, Func<Stream, CancellationToken, Task> serve)
    {
        _serve = serve;
        _listener = new TcpListener(IPAddress.Loopback, port);
        // The port was a node's a moment ago: its last connections may still be in TIME_WAIT.
        _listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        _listener.Start();
        _ = AcceptAsync();
    }

    /// <summary>A TLS server presenting <paramref name="certificate"/>; it asks for the client's, taken if <paramref name="accepts"/>.</summary>
    public static Stranger Tls(int port, X509Certificate2 certificate, Func<X509Certificate?, bool>? accepts = null) =>
        new(port, async (stream, ct) =>
    {
        await using var tls = new SslStream(stream, false, (_, client, _, _) => accepts?.Invoke(client) ?? true);
        await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
        {
            ServerCertificate = certificate,
            ClientCertificateRequired = true,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
        }, ct);
        await HoldAsync(tls, ct);
    });

    /// <summary>Plain TCP that answers garbage and never speaks TLS.</summary>
    public static Stranger Garbage(int port) => new(port, async (stream, ct) =>
    {
        await stream.WriteAsync("HTTP/1.1 400 Bad Request\r\n\r\n"u8.ToArray(), ct);
        await HoldAsync(stream, ct);
    });

    /// <summary>Accepts the connection and never answers: a handshake that never completes.</summary>
    public static Stranger Silent(int port) => new(port, HoldAsync);

    /// <summary>Keeps the connection until the client closes it.</summary>
    private static async Task HoldAsync(Stream stream, CancellationToken ct)
    {
        var buffer = new byte[1024];
        while (await stream.ReadAsync(buffer, ct) > 0) { }
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await _listener.AcceptTcpClientAsync(_stop.Token); }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException) { return; }
            Interlocked.Increment(ref _connections);
            _ = Task.Run(async () =>
            {
                using (client)
                {
                    try { await _serve(client.GetStream(), _stop.Token); }
                    catch (Exception e) when (e is IOException or OperationCanceledException or AuthenticationException) { }
                }
            });
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _stop.Dispose();
    }
}
