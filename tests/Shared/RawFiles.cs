using System.Text;

namespace Coordinator.Testing;

/// <summary>Files read raw, as whoever holds a copy of the disk would read them: which of some byte strings they hold.</summary>
public static class RawFiles
{
    /// <summary>Every file under the folder, its subfolders too.</summary>
    public static string[] In(string folder) => Directory.GetFiles(folder, "*", SearchOption.AllDirectories);

    /// <summary>The names of the needles found anywhere in any of the files, whatever the file's format.</summary>
    public static List<string> Holding(IEnumerable<string> files, IReadOnlyDictionary<string, byte[]> needles)
    {
        var contents = files.Where(File.Exists).Select(ReadShared).ToList();
        return [.. needles.Where(n => contents.Any(c => c.AsSpan().IndexOf(n.Value) >= 0)).Select(n => n.Key)];
    }

    /// <summary>A text as the files may hold it: UTF-8 (SQLite, PostgreSQL, JSON) and UTF-16.</summary>
    public static IEnumerable<KeyValuePair<string, byte[]>> Text(string text) =>
        [new(text, Encoding.UTF8.GetBytes(text)), new(text + " (UTF-16)", Encoding.Unicode.GetBytes(text))];

    // The database still has the files open; SQLite's locks are advisory, so reading beside it is what an attacker can do.
    private static byte[] ReadShared(string file)
    {
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
