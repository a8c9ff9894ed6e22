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
            ? configured.Length >= MinKeyLength ? configured : throw new InvalidOperationException($"Coordinator:Auth:SigningKey must be at least {MinKeyLength} characters")
            : ReadOrCreate(Path.Combine(folder, "signing.key"), out _);
        string? created = null;
        var bootstrap = settings.BootstrapToken is { Length: > 0 } given
            ? given.Length >= MinKeyLength ? given : throw new InvalidOperationException($"Coordinator:Auth:BootstrapToken must be at least {MinKeyLength} characters")
            : ReadOrCreate(Path.Combine(folder, "bootstrap-token"), out created);
        return new Secrets(Encoding.UTF8.GetBytes(key), bootstrap, created);
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

    public bool IsBootstrap(string token) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(token), Encoding.UTF8.GetBytes(BootstrapToken));
}
