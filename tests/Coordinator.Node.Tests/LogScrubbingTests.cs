using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Coordinator.Node.Tests;

/// <summary>What the node's loggers withhold from every line, through the logger factory the host hands out.</summary>
public class LogScrubbingTests
{
    [Theory]
    [InlineData("Request starting HTTP/1.1 GET http://127.0.0.1:5080/api/persons?query=Al-Halabi - - -",
        "Request starting HTTP/1.1 GET http://127.0.0.1:5080/api/persons?(withheld) - - -")]
    [InlineData("?query=%D9%85%D8%AD%D9%85%D8%AF&access_token=abc", "?(withheld)")]
    [InlineData("Invalid request target: '/api/inquiries?query=O'Brien'", "Invalid request target: '/api/inquiries?(withheld)")]
    [InlineData("Failed to bind parameter \"Nullable<int> limit\" from \"Al-Halabi\".",
        "Failed to bind parameter \"Nullable<int> limit\" from \"(withheld)\".")]
    [InlineData("Message [SearchPersons] was not delivered. Message content: SearchPersons { Query = Al-Halabi }",
        "Message [SearchPersons] was not delivered. Message content: (withheld)")]
    [InlineData("Is the journal answering? yes", "Is the journal answering? yes")]
    [InlineData("GET /api/facilities/saydnaya/sectors/R-B2-A-01 200", "GET /api/facilities/saydnaya/sectors/R-B2-A-01 200")]
    public void Queries_values_that_failed_to_bind_and_dead_letters_contents_are_withheld(string line, string written) =>
        Assert.Equal(written, LogScrubbing.Scrub(line));

    [Fact]
    public void A_lines_message_structured_values_and_exception_are_scrubbed_and_other_lines_pass_as_they_are()
    {
        var captured = new Capture();
        using var services = new ServiceCollection().AddLogging(l => l.AddProvider(captured).SetMinimumLevel(LogLevel.Trace))
            .AddLogScrubbing().BuildServiceProvider();
        var log = services.GetRequiredService<ILoggerFactory>().CreateLogger("Microsoft.AspNetCore.Hosting.Diagnostics");

        log.LogInformation("Request starting {Method} {Path}{QueryString}", "GET", "/api/persons", new QueryString("?query=Al-Halabi"));
        log.LogError(new InvalidOperationException("bad target /api/persons?query=Al-Halabi"), "Request failed {Status}", 400);
        log.LogInformation("Cluster has {Count} members", 3);

        Assert.Equal("Request starting GET /api/persons?(withheld)", captured.Lines[0].Message);
        Assert.Contains(new KeyValuePair<string, object?>("QueryString", "?(withheld)"), captured.Lines[0].Values);
        Assert.Contains(new KeyValuePair<string, object?>("Path", "/api/persons"), captured.Lines[0].Values);
        Assert.Equal("Request failed 400", captured.Lines[1].Message);
        Assert.Contains("bad target /api/persons?(withheld)", captured.Lines[1].Exception);
        Assert.Contains("InvalidOperationException", captured.Lines[1].Exception);
        Assert.DoesNotContain(captured.Lines, l => $"{l.Message}{string.Join(",", l.Values)}{l.Exception}".Contains("Al-Halabi"));
        Assert.Equal("Cluster has 3 members", captured.Lines[2].Message);
        Assert.Contains(new KeyValuePair<string, object?>("Count", 3), captured.Lines[2].Values);
    }

    private sealed class Capture : ILoggerProvider, ILogger
    {
        public List<(string Message, List<KeyValuePair<string, object?>> Values, string? Exception)> Lines { get; } = [];

        public ILogger CreateLogger(string categoryName) => this;
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Lines.Add((formatter(state, exception), [.. state as IEnumerable<KeyValuePair<string, object?>> ?? []], exception?.ToString()));

        public void Dispose() { }
    }
}
