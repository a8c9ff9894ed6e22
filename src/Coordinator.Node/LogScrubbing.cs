using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Coordinator.Node;

/// <summary>
/// No log line carries what a request asked for, whatever the level or the provider. A search names the person
/// searched for (<c>/api/persons?query=…</c>), a refused <c>?access_token=</c> is a token, and log lines outlive any
/// erasure; yet ASP.NET Core's hosting log writes every request's URL at Information, and components echo URLs in
/// messages and exceptions at Debug. Akka's dead-letter lines print the message itself, and a message's record
/// prints every field (a report's persons, a search). Every logger the host hands out, Akka's included, goes through
/// here: the query part of anything that reads as a URL, and a dead letter's content, are withheld from the message,
/// from its structured values and from an exception's text.
/// </summary>
public static partial class LogScrubbing
{
    public const string Withheld = "(withheld)";

    /// <summary>Puts the scrubbing in front of the host's logger factory; call after every provider is added.</summary>
    public static IServiceCollection AddLogScrubbing(this IServiceCollection services)
    {
        services.TryAddSingleton<LoggerFactory>();
        services.Replace(ServiceDescriptor.Singleton<ILoggerFactory>(sp => new ScrubbingLoggerFactory(sp.GetRequiredService<LoggerFactory>())));
        return services;
    }

    /// <summary>The text with every query string, a parameter's value that failed to bind and a dead letter's content withheld.</summary>
    public static string Scrub(string text) => DeadLetterContent().Replace(
        BindingFailure().Replace(Query().Replace(text, "?" + Withheld), $"$1\"{Withheld}\""), " Message content: " + Withheld);

    // A '?' that opens a query: at the start (a QueryString value) or right after a URL's path, up to the next space.
    [GeneratedRegex(@"(?<=^|[^\s?])\?[^\s]+")]
    private static partial Regex Query();

    // Minimal APIs echo a query or route value they could not read ("?limit=<a name>") at Debug.
    [GeneratedRegex(@"(Failed to bind parameter ""[^""]*"" from )"".*""")]
    private static partial Regex BindingFailure();

    [GeneratedRegex(@" Message content: .*", RegexOptions.Singleline)]
    private static partial Regex DeadLetterContent();

    private sealed class ScrubbingLoggerFactory(ILoggerFactory inner) : ILoggerFactory
    {
        public ILogger CreateLogger(string categoryName) => new ScrubbingLogger(inner.CreateLogger(categoryName));

        public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

        public void Dispose() { } // the container disposes the factory it made
    }

    private sealed class ScrubbingLogger(ILogger inner) : ILogger
    {
        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => inner.BeginScope(state);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!inner.IsEnabled(logLevel)) return;
            var message = formatter(state, exception);
            var values = state as IReadOnlyList<KeyValuePair<string, object?>> ?? [];
            var scrubbedValues = values.Select(ScrubValue).ToList();
            var exceptionText = exception?.ToString();
            var clean = Scrub(message) == message && (state?.ToString() is not { } text || Scrub(text) == text)
                && values.SequenceEqual(scrubbedValues) && (exceptionText is null || Scrub(exceptionText) == exceptionText);
            if (clean)
                inner.Log(logLevel, eventId, state, exception, formatter);
            else
                inner.Log(logLevel, eventId, new ScrubbedState(Scrub(message), scrubbedValues),
                    exception is null ? null : new WithheldException(Scrub(exception.Message), Scrub(exceptionText!)), (s, _) => s.Message);
        }

        /// <summary>Text, and values written as text (a request's QueryString), scrubbed; numbers and the like as they are.</summary>
        private static KeyValuePair<string, object?> ScrubValue(KeyValuePair<string, object?> value) =>
            value.Key == "SourceValue" ? new(value.Key, Withheld) // the value a binding failure echoes
            : value.Value is null or (IConvertible and not string) || value.Value.ToString() is not { } text || Scrub(text) == text
                ? value : new(value.Key, Scrub(text));
    }

    /// <summary>A log line's state with what it must not say withheld; its values still reach structured (JSON) output.</summary>
    private sealed class ScrubbedState(string message, IReadOnlyList<KeyValuePair<string, object?>> values)
        : IReadOnlyList<KeyValuePair<string, object?>>
    {
        public string Message => message;
        public KeyValuePair<string, object?> this[int index] => values[index];
        public int Count => values.Count;
        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => values.GetEnumerator();
        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
        public override string ToString() => message;
    }

    /// <summary>An exception whose text said what a log must not: written as the original's text, scrubbed.</summary>
    private sealed class WithheldException(string message, string text) : Exception(message)
    {
        public override string ToString() => text;
    }
}
