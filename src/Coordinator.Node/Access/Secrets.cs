using System.Security.Cryptography;
using System.Text;

namespace Coordinator.Node.Access;

/// <summary>The signing key and bootstrap token in force, from settings or created once in the data folder (owner-only files).</summary>
public sealed record Secrets(byte[] SigningKey, string BootstrapToken, string? CreatedBootstrapFile)
{
    public const int MinKeyLength = 32;

    public static Secrets Resolve(AuthSettings settings)
    {
        var folder = Path.GetFullPath(settings.DataFolder);
        var key = settings.SigningKey is { Length: > 0 } configured
            ? Checked("Coordinator:Auth:SigningKey", configured)
            : ReadOrCreate(Path.Combine(folder, "signing.key"), out _);
        string? created = null;
        var bootstrap = settings.BootstrapToken is { Length: > 0 } given
            ? Checked("Coordinator:Auth:BootstrapToken", given)
            : ReadOrCreate(Path.Combine(folder, "bootstrap-token"), out created);
        return new Secrets(Encoding.UTF8.GetBytes(key), bootstrap, created);
    }

    private static readonly string[] Placeholders =
        ["change-me", "changeme", "change_me", "replace", "placeholder", "example", "your-", "secret-here", "insert"];

    /// <summary>
    /// A configured secret must be long, not a placeholder copied from a deploy file, and not guessable: at least
    /// 128 bits by its characters' spread (what `openssl rand -base64 32` gives, and far more than a word or a run).
    /// </summary>
    public static string Checked(string setting, string secret)
    {
        if (secret.Length < MinKeyLength) throw new InvalidOperationException($"{setting} must be at least {MinKeyLength} characters");
        if (Placeholders.FirstOrDefault(p => secret.Contains(p, StringComparison.OrdinalIgnoreCase)) is { } placeholder)
            throw new InvalidOperationException(
                $"{setting} looks like a placeholder (it contains '{placeholder}'): make one with `openssl rand -base64 48`");
        if (LongestRun(secret) >= 6 || EstimatedBits(secret) < 128)
            throw new InvalidOperationException(
                $"{setting} is too easy to guess (repeated or too few different characters): make one with `openssl rand -base64 48`");
        return secret;
    }

    /// <summary>Length times the Shannon entropy of its characters: an upper bound on a secret's strength, enough to refuse weak ones.</summary>
    public static double EstimatedBits(string secret) =>
        secret.Length * -secret.GroupBy(c => c).Select(g => (double)g.Count() / secret.Length).Sum(p => p * Math.Log2(p));

    private static int LongestRun(string text)
    {
        int longest = 0, run = 0;
        for (var i = 0; i < text.Length; i++)
        {
            run = i > 0 && text[i] == text[i - 1] ? run + 1 : 1;
            longest = Math.Max(longest, run);
        }
        return longest;
    }

    private static string ReadOrCreate(string path, out string? created)
    {
        created = null;
        if (File.Exists(path)) return File.ReadAllText(path).Trim();
        var folder = Path.GetDirectoryName(path)!;
        if (!Directory.Exists(folder))
        {
            if (OperatingSystem.IsWindows()) Directory.CreateDirectory(folder);
            else Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        var secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var file = new StreamWriter(path, options)) file.Write(secret);
        created = path;
        return secret;
    }

    /// <summary>
    /// The key of report fingerprints, derived from the signing key with its purpose as the label: the same on every
    /// node, never in the journal, and no use for signing a token.
    /// </summary>
    public byte[] ReportKey => HMACSHA256.HashData(SigningKey, "coordinator report fingerprints"u8);

    public bool IsBootstrap(string token) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(token), Encoding.UTF8.GetBytes(BootstrapToken));
}
