namespace Gateway.Compliance.Tests.TestSupport;

/// <summary>A copy of a shipped policy folder (same folder name, as the loader requires) that a test may edit.</summary>
internal sealed class PolicyCopy : IDisposable
{
    private readonly TempDirectory _root = new("policies");

    public PolicyCopy(string vertical)
    {
        Directory = Path.Combine(_root.Path, vertical);
        Copy(RepoPaths.Policy(vertical), Directory);
    }

    public string Directory { get; }

    public string PolicyFile => Path.Combine(Directory, "policy.yaml");

    /// <summary>Replaces text in the policy file; the text must be there.</summary>
    public void Edit(string find, string replace)
    {
        var text = File.ReadAllText(PolicyFile);
        Assert.Contains(find, text, StringComparison.Ordinal);
        File.WriteAllText(PolicyFile, text.Replace(find, replace, StringComparison.Ordinal));
    }

    /// <summary>Removes the policy file's text from <paramref name="from"/> up to (not including) <paramref name="until"/>.</summary>
    public void Cut(string from, string until)
    {
        var text = File.ReadAllText(PolicyFile);
        var start = text.IndexOf(from, StringComparison.Ordinal);
        var end = text.IndexOf(until, start, StringComparison.Ordinal);
        Assert.True(start >= 0 && end > start);
        File.WriteAllText(PolicyFile, text[..start] + text[end..]);
    }

    public void Dispose() => _root.Dispose();

    private static void Copy(string source, string target)
    {
        System.IO.Directory.CreateDirectory(target);
        foreach (var file in System.IO.Directory.EnumerateFiles(source))
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        }

        foreach (var folder in System.IO.Directory.EnumerateDirectories(source))
        {
            Copy(folder, Path.Combine(target, Path.GetFileName(folder)));
        }
    }
}
