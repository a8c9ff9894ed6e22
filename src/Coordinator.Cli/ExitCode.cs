namespace Coordinator.Cli;

/// <summary>What a `coord` run ended with, for scripts.</summary>
public static class ExitCode
{
    public const int Ok = 0;
    /// <summary>The server refused: a rule said no (409), e.g. TeamLacksCapability.</summary>
    public const int Refused = 1;
    /// <summary>The request was malformed: bad arguments, 400, 413.</summary>
    public const int Invalid = 2;
    /// <summary>The facility, sector or team does not exist (404).</summary>
    public const int NotFound = 3;
    /// <summary>The server could not be reached or was unavailable (5xx), or another run held the outbox too long; nothing was recorded.</summary>
    public const int Unavailable = 4;
    /// <summary>A field report was not delivered (no answer, 401, 403, 408, 429, 5xx) and waits in the outbox with its id.</summary>
    public const int Queued = 5;
    /// <summary>No token, or the token may not do this (401, 403); a field report refused so waits in the outbox instead (Queued).</summary>
    public const int Forbidden = 6;

    public static int FromStatus(int status) => status switch
    {
        >= 200 and < 300 => Ok,
        404 => NotFound,
        401 or 403 => Forbidden,
        409 => Refused,
        >= 400 and < 500 => Invalid,
        _ => Unavailable,
    };
}
