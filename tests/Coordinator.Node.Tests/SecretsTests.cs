using System.Text.RegularExpressions;
using Coordinator.Node.Tests.Support;

namespace Coordinator.Node.Tests;

/// <summary>A node refuses to start with a secret someone could guess, or copied from a deploy file as it stands.</summary>
public class SecretsTests
{
    public static TheoryData<string, string> Weak => new()
    {
        { "SigningKey", "short-key" },
        { "SigningKey", "change-me-to-48-random-bytes-base64-encoded-000000" },
        { "BootstrapToken", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" },
        { "BootstrapToken", "abcdabcdabcdabcdabcdabcdabcdabcdabcd" },
        { "BootstrapToken", "please-replace-this-with-something-random" },
    };

    [Theory]
    [MemberData(nameof(Weak))]
    public void A_weak_or_placeholder_secret_is_refused_at_start_naming_the_setting(string setting, string secret)
    {
        var folder = Directory.CreateTempSubdirectory("coord-secrets-").FullName;
        try
        {
            var refused = Assert.Throws<InvalidOperationException>(() =>
                NodeApp.Build([.. Settings(folder), $"--Coordinator:Auth:{setting}={secret}"]));
            Assert.Contains($"Coordinator:Auth:{setting}", refused.Message);
        }
        finally { Directory.Delete(folder, recursive: true); }
    }

    [Fact]
    public async Task The_example_secrets_in_the_deploy_files_are_refused_and_random_ones_start()
    {
        var example = File.ReadAllText(Path.Combine(Pages.RepositoryRoot, "deploy/k8s/secret.example.yaml"));
        var values = Regex.Matches(example, @"^\s+(signing-key|bootstrap-token): (\S+)$", RegexOptions.Multiline)
            .Select(m => m.Groups[2].Value).ToList();
        Assert.Equal(2, values.Count);
        foreach (var value in values) Assert.Throws<InvalidOperationException>(() => Node.Access.Secrets.Checked("example", value));

        var folder = Directory.CreateTempSubdirectory("coord-secrets-").FullName;
        try
        {
            var random = () => Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(48));
            await using var app = NodeApp.Build([.. Settings(folder), $"--Coordinator:Auth:SigningKey={random()}",
                $"--Coordinator:Auth:BootstrapToken={random()}"]);
            Assert.NotNull(app.Services.GetService(typeof(Node.Access.Secrets)));
        }
        finally { Directory.Delete(folder, recursive: true); }
    }

    private static string[] Settings(string folder) =>
        [$"--Coordinator:Auth:DataFolder={folder}", $"--Coordinator:Persistence:ConnectionString=Data Source={Path.Combine(folder, "c.db")}"];
}
