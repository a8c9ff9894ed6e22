using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Coordinator.Cli;

/// <summary>
/// The answer to one request: its status and JSON body; status 0 means the server was not reached.
/// <paramref name="RetryAfter"/> is the server's Retry-After, when it gave one (429, 503).
/// </summary>
public sealed record Answer(int Status, JsonNode? Body, string? Failure = null, TimeSpan? RetryAfter = null)
{
    public bool Ok => Status is >= 200 and < 300;

    /// <summary>The body as the contract's record, read as the node wrote it.</summary>
    public T As<T>() => Body.Deserialize<T>(Replies)!;

    /// <summary>The body as the contract's record, or null when it is none: a proxy's page, or no body at all.</summary>
    public T? AsOrNull<T>() where T : class => Read<T>(Replies);

    /// <summary>The problem the body states, when it is one; its other members (title, type, errors) are not read.</summary>
    public ProblemBody? Problem => Body is JsonObject ? Read<ProblemBody>(Replies) : null;

    /// <summary>
    /// A node's answer, read leniently: a node of another version may write a member this `coord` does not know (a new
    /// one, or one since left off), and a problem has members it does not read; a request is still sent as strictly as the
    /// node reads it.
    /// </summary>
    private static readonly JsonSerializerOptions Replies = new(ApiJson.Options) { UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip };

    private T? Read<T>(JsonSerializerOptions options) where T : class
    {
        try { return Body.Deserialize<T>(options); }
        catch (JsonException) { return null; }
    }

    /// <summary>
    /// The node's request checks or a rule said no, and would say no again: sending the same request later cannot
    /// help. Only a problem with its reason code counts: a 404 page from a proxy or a wrong --server is no refusal.
    /// </summary>
    public bool Refused => Status is 400 or 404 or 409 or 413 or 415 or 422 && Problem?.Code is not null;

    /// <summary>
    /// Whether a queued report is done with: delivered, or refused for good. Anything else (no answer, 401, 403,
    /// 408, 429, 5xx, a status we do not know) may go through later, so the report must not be dropped for it.
    /// </summary>
    public bool Final => Ok || Refused;

    /// <summary>The token was not accepted (401) or may not do this (403): a new token may get it through.</summary>
    public bool TokenRefused => Status is 401 or 403;
}

/// <summary>A problem the node answered: its reason code (a <see cref="ProblemCode"/> or a refusal of the domain) and what it says.</summary>
public sealed record ProblemBody(string? Code, string? Detail);

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

    /// <summary>
    /// A request record as the node reads it. <paramref name="words"/> are members of it given as the user typed them
    /// (a method, capabilities, a kind): sent as they are, so the node judges them as it judges any field, and a report
    /// made offline keeps even a word the node will refuse. A word not given (null) is left out, as the record leaves out its nulls.
    /// </summary>
    public static JsonObject Body<TRequest>(TRequest request, params (string Member, object? Words)[] words)
    {
        var body = JsonSerializer.SerializeToNode(request, ApiJson.Options)!.AsObject();
        foreach (var (member, word) in words.Where(w => w.Words is not null))
        {
            if (typeof(TRequest).GetProperty(member) is null) throw new ArgumentException($"{typeof(TRequest).Name} has no {member}", nameof(words));
            body[Name(member)] = JsonSerializer.SerializeToNode(word);
        }
        return body;
    }

    /// <summary>The JSON name of a contract record's member, for JSON coord keeps as it came
    /// (nameof the member, so a rename breaks the build).</summary>
    public static string Name(string member) => ApiJson.Options.PropertyNamingPolicy!.ConvertName(member);

    /// <summary>
    /// A list read page by page, following each page's <c>next</c> to the end, or until <paramref name="most"/> items: one
    /// answer whose body is the items in the list's order. A page refused ends the walk with that page's answer. Pages are
    /// as large as the node takes, so a long list costs few requests (and few entries in the read log).
    /// </summary>
    public async Task<Answer> Walk(string path, int? most, CancellationToken ct, int pageSize = Paging.MaxLimit)
    {
        var items = new JsonArray();
        string? next = null;
        do
        {
            var size = Math.Min(most - items.Count ?? pageSize, pageSize);
            var page = await Get($"{path}{(path.Contains('?') ? '&' : '?')}limit={size}"
                + (next is null ? "" : $"&cursor={Uri.EscapeDataString(next)}"), ct);
            if (!page.Ok) return page;
            foreach (var item in page.Body!["items"]!.AsArray()) items.Add(item?.DeepClone());
            next = (string?)page.Body["next"];
        } while (next is not null && (most is null || items.Count < most));
        return new Answer(200, items);
    }

    /// <summary>
    /// A file the node answers (a backup), written to <paramref name="file"/> as it arrives: owner-only, never over an existing
    /// file, and in place only once whole (a cut download leaves no file that looks like a backup). A refusal is an answer as usual.
    /// </summary>
    public Task<Answer> Download(HttpMethod method, string path, string file, CancellationToken ct) => Send(method, path, null, ct, file);

    private async Task<Answer> Send(HttpMethod method, string path, JsonNode? body, CancellationToken ct, string? saveTo = null)
    {
        try
        {
            using var request = new HttpRequestMessage(method, path);
            if (body is not null) request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
            // A file is written as it arrives; any other answer is read whole within the timeout, as always.
            using var response = await _http.SendAsync(request,
                saveTo is null ? HttpCompletionOption.ResponseContentRead : HttpCompletionOption.ResponseHeadersRead, ct);
            if (saveTo is not null && response.IsSuccessStatusCode)
            {
                var partial = saveTo + ".partial";
                await using (var target = Outbox.Open(partial, FileMode.CreateNew, FileAccess.Write))
                    await response.Content.CopyToAsync(target, ct);
                File.Move(partial, saveTo);
                return new Answer((int)response.StatusCode, null);
            }
            var text = await response.Content.ReadAsStringAsync(ct);
            JsonNode? json = null;
            try { json = text.Length > 0 ? JsonNode.Parse(text) : null; }
            catch (System.Text.Json.JsonException) { json = JsonValue.Create(text); }
            var retryAfter = response.Headers.RetryAfter is { } r ? r.Delta ?? r.Date - DateTimeOffset.UtcNow : null;
            return new Answer((int)response.StatusCode, json, RetryAfter: retryAfter);
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
