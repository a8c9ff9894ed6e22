using Microsoft.Extensions.Configuration;

namespace Coordinator.Node.Tests;

public class HostingTests
{
    [Fact]
    public async Task The_node_reads_its_settings_files_once_and_watches_no_folder()
    {
        var folder = Directory.CreateTempSubdirectory("coord-hosting-").FullName;
        try
        {
            await using var app = NodeApp.Build([$"--Coordinator:Auth:DataFolder={folder}",
                $"--Coordinator:Persistence:ConnectionString=Data Source={Path.Combine(folder, "c.db")}"]);
            var files = ((IConfigurationRoot)app.Configuration).Providers.OfType<FileConfigurationProvider>().ToList();
            Assert.Contains(files, f => f.Source.Path == "appsettings.json");
            // Beside the executable, wherever it was started from (LoneNodeTests starts a process from another folder).
            Assert.Equal(AppContext.BaseDirectory, app.Environment.ContentRootPath);
            Assert.All(files, f => Assert.False(f.Source.ReloadOnChange, $"{f.Source.Path} is watched"));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
