using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Gateway.Compliance.Audit;
using Gateway.Compliance.Tests.TestSupport;

namespace Gateway.Compliance.Tests.Audit;

/// <summary>
/// Generates one log of three files, then applies each kind of corruption at many random places (a fresh
/// copy each time) and asserts that verification fails and names the file and line where it happened.
/// </summary>
public class AuditTamperTests : IDisposable
{
    private const string Instance = "gw-t";
    private static readonly Config Runs = Config.QuickThrowOnFailure.WithMaxTest(40).WithQuietOnSuccess(true);

    private readonly TempDirectory _root = new("tamper");
    private readonly IReadOnlyList<string> _files;
    private readonly byte[][][] _lines;
    private int _copies;

    public AuditTamperTests()
    {
        _files = SyntheticAuditLog.Write(Path.Combine(_root.Path, "original"), Instance, 60, 45, 70);
        _lines = [.. _files.Select(f => File.ReadAllLines(f).Select(Encoding.UTF8.GetBytes).ToArray())];
    }

    public void Dispose() => _root.Dispose();

    [Fact]
    public void UntouchedLog_Verifies()
    {
        var result = new AuditChainVerifier().Verify(Path.Combine(_root.Path, "original"));
        Assert.True(result.IsValid, string.Join("; ", result.Problems));
        Assert.Equal(175, result.Records);
        Assert.Equal(3, result.Instances.Single().Files);
    }

    [Fact]
    public void EditedCharacter_AnywhereInAnyRecord_IsReportedAtItsFileAndLine()
    {
        var places = from file in Gen.Choose(0, 2)
                     from line in Gen.Choose(0, _lines[file].Length - 1)
                     from position in Gen.Choose(0, _lines[file][line].Length - 1)
                     from shift in Gen.Choose(1, 8)
                     select (file, line, position, shift);
        Check.One(Runs, Prop.ForAll(places.ToArbitrary(), place =>
        {
            var (file, line, position, shift) = place;
            var lines = Copy();
            var bytes = lines[file][line];

            // Change one letter or digit into another of its kind: still valid UTF-8 and JSON-shaped.
            while (!char.IsAsciiLetterOrDigit((char)bytes[position]))
            {
                position = (position + 1) % bytes.Length;
            }

            bytes[position] = Shift(bytes[position], shift);
            var problem = VerifyCopy(lines);
            Assert.Equal(Path.GetFileName(_files[file]), problem.File);
            Assert.Equal(line + 1, problem.Line);
        }));
    }

    [Fact]
    public void DeletedRecord_IsReportedWhereTheGapIs()
    {
        var places = from file in Gen.Choose(0, 2)
                     from line in Gen.Choose(0, _lines[file].Length - (file == 2 ? 2 : 1))
                     select (file, line);
        Check.One(Runs, Prop.ForAll(places.ToArbitrary(), place =>
        {
            var (file, line) = place;
            var lines = Copy();
            lines[file] = [.. lines[file].Where((_, i) => i != line)];
            var problem = VerifyCopy(lines);
            if (line == _lines[file].Length - 1)
            {
                // The file's last record: the next file starts one seq too late.
                Assert.Equal(Path.GetFileName(_files[file + 1]), problem.File);
                Assert.Contains("missing before it", problem.Message);
            }
            else
            {
                Assert.Equal(Path.GetFileName(_files[file]), problem.File);
                Assert.Equal(line + 1, problem.Line);
                Assert.Contains("deleted", problem.Message);
            }
        }));
    }

    [Fact]
    public void InsertedDuplicate_IsReportedAtTheDuplicate()
    {
        var places = from file in Gen.Choose(0, 2)
                     from line in Gen.Choose(0, _lines[file].Length - 1)
                     select (file, line);
        Check.One(Runs, Prop.ForAll(places.ToArbitrary(), place =>
        {
            var (file, line) = place;
            var lines = Copy();
            var list = lines[file].ToList();
            list.Insert(line + 1, [.. list[line]]);
            lines[file] = [.. list];
            var problem = VerifyCopy(lines);
            Assert.Equal(Path.GetFileName(_files[file]), problem.File);
            Assert.Equal(line + 2, problem.Line);
            Assert.Contains("inserted or records were reordered", problem.Message);
        }));
    }

    [Fact]
    public void SwappedAdjacentRecords_AreReportedAtTheFirstOfThem()
    {
        var places = from file in Gen.Choose(0, 2)
                     from line in Gen.Choose(0, _lines[file].Length - 2)
                     select (file, line);
        Check.One(Runs, Prop.ForAll(places.ToArbitrary(), place =>
        {
            var (file, line) = place;
            var lines = Copy();
            (lines[file][line], lines[file][line + 1]) = (lines[file][line + 1], lines[file][line]);
            var problem = VerifyCopy(lines);
            Assert.Equal(Path.GetFileName(_files[file]), problem.File);
            Assert.Equal(line + 1, problem.Line);
        }));
    }

    [Fact]
    public void TruncationInsideALine_IsReportedAsAnIncompleteRecord()
    {
        var places = from file in Gen.Choose(0, 2)
                     from line in Gen.Choose(0, _lines[file].Length - 1)
                     from keep in Gen.Choose(1, 200)
                     select (file, line, keep);
        Check.One(Runs, Prop.ForAll(places.ToArbitrary(), place =>
        {
            var (file, line, keep) = place;
            var lines = Copy();
            var cut = lines[file][line][..Math.Min(keep, lines[file][line].Length)];
            var folder = Write(lines);
            var path = Path.Combine(folder, Path.GetFileName(_files[file]));
            var kept = lines[file].Take(line).SelectMany(l => l.Append((byte)'\n')).Concat(cut).ToArray();
            File.WriteAllBytes(path, kept);
            var problem = Verify(folder);
            Assert.Equal(Path.GetFileName(_files[file]), problem.File);
            Assert.Equal(line + 1, problem.Line);
            Assert.Contains("incomplete", problem.Message);
        }));
    }

    [Theory]
    [InlineData(0, "chain expects 1")]
    [InlineData(1, "missing before it")]
    public void RemovedRotatedFile_IsReportedAtTheNextFile(int removed, string message)
    {
        var lines = Copy();
        var folder = Write(lines);
        File.Delete(Path.Combine(folder, Path.GetFileName(_files[removed])));
        var problem = Verify(folder);
        Assert.Equal(Path.GetFileName(_files[removed + 1]), problem.File);
        Assert.Equal(0, problem.Line);
        Assert.Contains(message, problem.Message);
    }

    [Fact]
    public void RecordsCutOffTheEnd_AfterASignedCheckpoint_AreReported()
    {
        var head = SyntheticAuditLog.Head(_files);
        var checkpoint = new AuditCheckpoint(Instance, head.Count, head.HeadHash, SyntheticAuditLog.Start, "k", "s");
        var cuts = Gen.Choose(1, _lines[2].Length - 1);
        Check.One(Runs, Prop.ForAll(cuts.ToArbitrary(), cut =>
        {
            var lines = Copy();
            lines[2] = lines[2][..^cut];
            var folder = Write(lines);
            Assert.True(new AuditChainVerifier().Verify(folder).IsValid, "a cut at a record boundary needs a checkpoint to show");
            var problem = Assert.Single(new AuditChainVerifier { Checkpoints = [checkpoint] }.Verify(folder).Problems);
            Assert.Equal(Path.GetFileName(_files[2]), problem.File);
            Assert.Contains($"ends at seq {head.Count - cut}", problem.Message);
            Assert.Contains("removed from the end", problem.Message);
        }));
    }

    [Fact]
    public void RemovedLastFile_AfterASignedCheckpoint_IsReported()
    {
        var head = SyntheticAuditLog.Head(_files);
        var folder = Write(Copy());
        File.Delete(Path.Combine(folder, Path.GetFileName(_files[2])));
        var checkpoint = new AuditCheckpoint(Instance, head.Count, head.HeadHash, SyntheticAuditLog.Start, "k", "s");
        var problem = Assert.Single(new AuditChainVerifier { Checkpoints = [checkpoint] }.Verify(folder).Problems);
        Assert.Contains("removed from the end", problem.Message);
    }

    [Fact]
    public void CheckpointWithAnotherHash_IsReportedAtItsRecord()
    {
        var folder = Write(Copy());
        var checkpoint = new AuditCheckpoint(Instance, 70, new string('b', 64), SyntheticAuditLog.Start, "k", "s");
        var problem = Assert.Single(new AuditChainVerifier { Checkpoints = [checkpoint] }.Verify(folder).Problems);
        Assert.Equal(Path.GetFileName(_files[1]), problem.File);
        Assert.Equal(10, problem.Line);
        Assert.Contains("rewritten", problem.Message);
    }

    [Fact]
    public void SingleWorker_ReportsTheSameProblems_AsEveryCore()
    {
        var lines = Copy();
        lines[1][20][40] = Shift(lines[1][20][40], 1);
        var folder = Write(lines);
        var parallel = Assert.Single(new AuditChainVerifier().Verify(folder).Problems);
        var single = Assert.Single(new AuditChainVerifier { Parallelism = 1 }.Verify(folder).Problems);
        Assert.Equal(parallel, single);
    }

    private static byte Shift(byte value, int by)
    {
        var c = (char)value;
        return (byte)(char.IsAsciiDigit(c) ? '0' + ((c - '0' + by) % 10)
            : char.IsAsciiLetterLower(c) ? 'a' + ((c - 'a' + by) % 26)
            : 'A' + ((c - 'A' + by) % 26));
    }

    private byte[][][] Copy() => [.. _lines.Select(file => file.Select(line => line.ToArray()).ToArray())];

    private string Write(byte[][][] lines)
    {
        var folder = Path.Combine(_root.Path, "copy" + Interlocked.Increment(ref _copies));
        Directory.CreateDirectory(folder);
        for (var i = 0; i < _files.Count; i++)
        {
            File.WriteAllBytes(Path.Combine(folder, Path.GetFileName(_files[i])), [.. lines[i].SelectMany(l => l.Append((byte)'\n'))]);
        }

        return folder;
    }

    private AuditProblem VerifyCopy(byte[][][] lines) => Verify(Write(lines));

    private static AuditProblem Verify(string folder)
    {
        var result = new AuditChainVerifier().Verify(folder);
        Assert.False(result.IsValid);
        return Assert.Single(result.Problems);
    }
}
