using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace Coordinator.Cli;

/// <summary>The answer to one request: its status and JSON body; status 0 means the server was not reached.</summary>
public sealed record Answer(int Status, JsonNode? Body, string? Failure = null)
{
    public bool Ok => Status is >= 200 and < 300;
    public bool Delivered => Status is > 0 and < 500;
}

/// <summary>The HTTP API, as `coord` uses it. Network failures are answers too, never exceptions.</summary>
public sealed class Api : IDisposable
{
    private readonly HttpClient _http;

    public Api(Uri server, TimeSpan timeout, string? token = null)
    {
        _http = new HttpClient { BaseAddress = server, Timeout = timeout };
        if (token is not null) _http.DefaultRequestHeaders.Authorization = new("Bearer", token);
    }

    public Task<Answer> Get(string path, CancellationToken ct) => Send(HttpMethod.Get, path, null, ct);
    public Task<Answer> Post(string path, JsonNode? body, CancellationToken ct) => Send(HttpMethod.Post, path, body ?? new JsonObject(), ct);
    public Task<Answer> Put(string path, JsonNode body, CancellationToken ct) => Send(HttpMethod.Put, path, body, ct);

    private async Task<Answer> Send(HttpMethod method, string path, JsonNode? body, CancellationToken ct)
    {
        try
        {
            using var request = new HttpRequestMessage(method, path);
            if (body is not null) request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
            using var response = await _http.SendAsync(request, ct);
            var text = await response.Content.ReadAsStringAsync(ct);
            JsonNode? json = null;
            try { json = text.Length > 0 ? JsonNode.Parse(text) : null; }
            catch (System.Text.Json.JsonException) { json = JsonValue.Create(text); }
            return new Answer((int)response.StatusCode, json);
        }
        catch (HttpRequestException e)
        {
            return new Answer(0, null, $"cannot reach {_http.BaseAddress}: {e.Message}");
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            return new Answer(0, null, $"no answer from {_http.BaseAddress} within {_http.Timeout.TotalSeconds:0} s");
        }
    }

    /// <summary>The lines of a streamed response (the live stream), as they arrive.</summary>
    public async IAsyncEnumerable<string> Lines(string path, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        using var stream = new HttpClient { BaseAddress = _http.BaseAddress, Timeout = Timeout.InfiniteTimeSpan };
        stream.DefaultRequestHeaders.Authorization = _http.DefaultRequestHeaders.Authorization;
        using var response = await stream.GetAsync(path, HttpCompletionOption.ResponseHeadersRead, ct);
        response.EnsureSuccessStatusCode();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(ct));
        while (await reader.ReadLineAsync(ct) is { } line) yield return line;
    }

    public static string Path(params string[] segments) => "/" + string.Join('/', segments.Select(Uri.EscapeDataString));

    public void Dispose() => _http.Dispose();
}
