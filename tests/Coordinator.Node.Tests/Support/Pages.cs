namespace Coordinator.Node.Tests.Support;

/// <summary>The pages' source files (src/Coordinator.Node/wwwroot), read by tests that check what the pages ship.</summary>
public static class Pages
{
    public static string File(string relative)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !System.IO.File.Exists(Path.Combine(dir.FullName, "Coordinator.sln"))) dir = dir.Parent;
        return Path.Combine(dir!.FullName, "src", "Coordinator.Node", "wwwroot", relative);
    }
}
