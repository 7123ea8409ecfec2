using Gateway.Compliance.Tests.TestSupport;

namespace Gateway.Cli.Tests.Support;

/// <summary>Copies of the shipped policies in a temp folder, for tests that break them.</summary>
internal sealed class PolicyCopy : IDisposable
{
    private readonly TempDirectory _root = new("policies");

    public PolicyCopy(params string[] verticals)
    {
        Root = _root.Path;
        foreach (var vertical in verticals)
        {
            Copy(RepoPaths.Policy(vertical), Path.Combine(Root, vertical));
        }
    }

    /// <summary>The policies folder holding the copies.</summary>
    public string Root { get; }

    public string Folder(string vertical) => Path.Combine(Root, vertical);

    public void Edit(string vertical, string relativeFile, string find, string replace)
    {
        var path = Path.Combine(Folder(vertical), relativeFile);
        var text = File.ReadAllText(path);
        Assert.Contains(find, text, StringComparison.Ordinal);
        File.WriteAllText(path, text.Replace(find, replace, StringComparison.Ordinal));
    }

    public void Dispose() => _root.Dispose();

    public static void Copy(string source, string target)
    {
        Directory.CreateDirectory(target);
        foreach (var file in Directory.EnumerateFiles(source))
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        }

        foreach (var folder in Directory.EnumerateDirectories(source))
        {
            Copy(folder, Path.Combine(target, Path.GetFileName(folder)));
        }
    }
}
