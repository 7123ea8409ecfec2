using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Gateway.Cli.Support;
using Gateway.Compliance.Audit;
using Gateway.Storage;
using Gateway.Storage.Postgres;
using Spectre.Console;

namespace Gateway.Cli.Commands;

/// <summary>
/// <c>audit verify</c>: checks the hash chains of one or more instances across all their files and, given the
/// checkpoints (a folder, or the PostgreSQL table every instance writes to) and public keys, the signed
/// checkpoints (so that a cut-off tail is detected). Prints per instance what was verified and the first broken
/// record precisely; exits 1 on any problem, including checkpoints that are missing, stop more than the checkpoint
/// interval before a chain's end, or cannot be read (<c>--allow-missing-checkpoints</c> relaxes only the first two).
/// </summary>
internal static class AuditVerifyCommand
{
    public static Command Build(CliConsole console)
    {
        var folders = AuditFolders.Argument();
        var checkpoints = new Option<string?>("--checkpoints") { Description = "Folder of signed checkpoints (checkpoints-{instance}.jsonl)." };
        var postgres = new Option<string?>("--checkpoints-postgres") { Description = "Read the signed checkpoints of every instance from PostgreSQL: an Npgsql connection string without a password." };
        var passwordFile = new Option<string?>("--password-file") { Description = "With --checkpoints-postgres: a file holding the database password." };
        var schema = new Option<string>("--schema") { Description = "With --checkpoints-postgres: the gateway's schema.", DefaultValueFactory = _ => "gateway" };
        var publicKeys = new Option<string[]>("--public-key") { Description = "Checkpoint public key PEM, or a folder of them (repeatable)." };
        var instances = new Option<string[]>("--instance") { Description = "Verify only this instance (repeatable)." };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "No progress output." };
        var allowMissing = new Option<bool>("--allow-missing-checkpoints")
        {
            Description = "Verify the chains alone when checkpoints are missing or stop early (a warning, exit 0): a cut-off or rewritten tail then goes undetected.",
        };
        var maxUncovered = new Option<long>("--max-uncovered-records")
        {
            Description = "Records allowed after an instance's last signed checkpoint (the gateway's Gateway:Audit:Checkpoints:EveryRecords).",
            DefaultValueFactory = _ => CheckpointPolicy.DefaultEveryRecords,
        };
        var command = new Command("verify", "Verify the hash chain of every file and the signed checkpoints; report the first broken record (file:line).")
        {
            folders, checkpoints, postgres, passwordFile, schema, publicKeys, instances, quiet, allowMissing, maxUncovered,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var directories = AuditFolders.Get(parse, folders);
            var only = parse.GetValue(instances) is { Length: > 0 } names ? names.ToHashSet(StringComparer.Ordinal) : null;
            var source = CheckpointSource(parse.GetValue(checkpoints), parse.GetValue(postgres), parse.GetValue(passwordFile), parse.GetValue(schema)!);
            var (verified, checkpointProblems) = await ReadCheckpointsAsync(source, parse.GetValue(publicKeys) ?? [], only, cancellationToken);
            var watch = Stopwatch.StartNew();
            var result = Run(console, verified ?? [], only, directories, parse.GetValue(quiet));
            watch.Stop();
            IReadOnlyList<AuditProblem> coverage = verified is null
                ? [new AuditProblem("*", "checkpoints", 0, null, "no signed checkpoints were given (--checkpoints, --public-key): records cut off the end of a chain cannot be detected")]
                : AuditCheckpointCoverage.Problems(result, verified, parse.GetValue(maxUncovered));
            var relaxed = parse.GetValue(allowMissing);
            Report(console, result, checkpointProblems, coverage, relaxed, watch.Elapsed);
            return result.IsValid && checkpointProblems.Count == 0 && (relaxed || coverage.Count == 0) ? ExitCodes.Success : ExitCodes.Failed;
        });
        return command;
    }

    /// <summary>Where the checkpoints are: a folder, or the PostgreSQL table (null when none was given).</summary>
    internal static Func<CancellationToken, Task<AuditCheckpointSet>>? CheckpointSource(string? folder, string? connectionString, string? passwordFile, string schema)
    {
        if (folder is not null && connectionString is not null)
        {
            throw new UsageException("Give --checkpoints or --checkpoints-postgres, not both.");
        }

        if (folder is not null)
        {
            if (!Directory.Exists(folder))
            {
                throw new UsageException($"The checkpoint folder '{folder}' does not exist.");
            }

            return new FileCheckpointStore(folder).ReadAllAsync;
        }

        if (connectionString is null)
        {
            if (passwordFile is not null)
            {
                throw new UsageException("--password-file goes with --checkpoints-postgres.");
            }

            return null;
        }

        var errors = PostgresConnectionSettings.Validate("--checkpoints-postgres", connectionString, passwordFile, schema, Directory.GetCurrentDirectory());
        if (errors.Count > 0)
        {
            throw new UsageException(string.Join(" ", errors).Replace("--checkpoints-postgres:ConnectionString", "--checkpoints-postgres", StringComparison.Ordinal)
                .Replace("--checkpoints-postgres:PasswordFile", "--password-file", StringComparison.Ordinal)
                .Replace("--checkpoints-postgres:Schema", "--schema", StringComparison.Ordinal));
        }

        var settings = new PostgresConnectionSettings { ConnectionString = connectionString, PasswordFile = passwordFile, Schema = schema };
        return async cancellationToken =>
        {
            try
            {
                await using var database = new PostgresDatabase(settings, Directory.GetCurrentDirectory(), "gatewayctl");
                return await PostgresCheckpointStore.OpenForReading(database).ReadAllAsync(cancellationToken);
            }
            catch (StoreUnavailableException ex)
            {
                // Npgsql's messages name the server and the failure, never the password.
                throw new IOException($"The checkpoints could not be read from PostgreSQL ({settings.Describe()}): {ex.InnerException?.Message}", ex);
            }
        };
    }

    internal static async Task<(IReadOnlyList<AuditCheckpoint>? Verified, IReadOnlyList<AuditProblem> Problems)> ReadCheckpointsAsync(
        Func<CancellationToken, Task<AuditCheckpointSet>>? source, string[] keys, IReadOnlySet<string>? only, CancellationToken cancellationToken)
    {
        if (source is null && keys.Length == 0)
        {
            return (null, []);
        }

        if (source is null || keys.Length == 0)
        {
            throw new UsageException("Give --checkpoints (or --checkpoints-postgres) and --public-key together: checkpoints are trusted only once their signatures verify.");
        }

        AuditCheckpointVerifier verifier;
        try
        {
            verifier = AuditCheckpointVerifier.Load(keys);
        }
        catch (AuditKeyException ex)
        {
            throw new UsageException(ex.Message);
        }

        using (verifier)
        {
            if (verifier.KeyIds.Count == 0)
            {
                throw new UsageException("No public key was found in the --public-key paths.");
            }

            var set = await source(cancellationToken);
            if (only is not null)
            {
                set = new AuditCheckpointSet(
                    [.. set.Checkpoints.Where(c => only.Contains(c.Checkpoint.Instance))],
                    [.. set.Problems.Where(p => only.Contains(p.Instance))]);
            }

            var verification = verifier.Verify(set);
            return (verification.Verified, verification.Problems);
        }
    }

    private static AuditVerificationResult Run(CliConsole console, IReadOnlyList<AuditCheckpoint> checkpoints, IReadOnlySet<string>? only, string[] directories, bool quiet)
    {
        AuditChainVerifier Verifier(Action<AuditVerificationProgress>? progress) => new() { Checkpoints = checkpoints, Instances = only, Progress = progress };
        if (quiet)
        {
            return Verifier(null).Verify(directories);
        }

        if (console.IsTerminal)
        {
            return new Progress(console.Ansi)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                .Start(context =>
                {
                    var task = context.AddTask("verifying", maxValue: 1);
                    return Verifier(p =>
                    {
                        task.MaxValue = Math.Max(1, p.TotalBytes);
                        task.Value = p.Bytes;
                        task.Description = string.Create(CultureInfo.InvariantCulture, $"verified {p.Records:N0} records");
                    }).Verify(directories);
                });
        }

        // Not a terminal: a plain line on standard error every few seconds, so standard output stays clean for scripts.
        var watch = Stopwatch.StartNew();
        var next = TimeSpan.FromSeconds(5);
        return Verifier(p =>
        {
            if (watch.Elapsed >= next)
            {
                next = watch.Elapsed + TimeSpan.FromSeconds(5);
                console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"verified {p.Records:N0} records ({100.0 * p.Bytes / Math.Max(1, p.TotalBytes):N0}% of {p.TotalBytes / 1048576.0:N0} MiB)"));
            }
        }).Verify(directories);
    }

    private static void Report(CliConsole console, AuditVerificationResult result, IReadOnlyList<AuditProblem> checkpointProblems,
        IReadOnlyList<AuditProblem> coverage, bool relaxed, TimeSpan elapsed)
    {
        var table = new Table().AddColumns("instance", "records", "files", "head hash", "checkpoints verified", "status");
        foreach (var instance in result.Instances)
        {
            table.AddRow(
                Markup.Escape(instance.Instance),
                instance.Records.ToString("N0", CultureInfo.InvariantCulture),
                instance.Files.ToString(CultureInfo.InvariantCulture),
                instance.HeadHash,
                instance.CheckpointsVerified.ToString(CultureInfo.InvariantCulture),
                instance.FirstProblem is null ? "ok" : "FAILED");
        }

        if (result.Instances.Count > 0)
        {
            console.Ansi.Write(table);
        }

        foreach (var problem in checkpointProblems.Concat(result.Problems))
        {
            console.Out.WriteLine($"FAILED {problem.Instance}: {problem}");
        }

        foreach (var problem in coverage)
        {
            if (relaxed)
            {
                console.Error.WriteLine($"warning (--allow-missing-checkpoints) {problem.Instance}: {problem.Message}");
            }
            else
            {
                console.Out.WriteLine($"FAILED {problem.Instance}: {problem}");
            }
        }

        var seconds = Math.Max(elapsed.TotalSeconds, 1e-6);
        console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"verified {result.Records:N0} records in {elapsed.TotalSeconds:N2} s ({result.Records / seconds:N0} records/s)"));
        var ok = result.IsValid && checkpointProblems.Count == 0 && (relaxed || coverage.Count == 0);
        console.Out.WriteLine(ok
            ? coverage.Count == 0 ? "OK: every chain verified, each covered by signed checkpoints." : "OK (chains only): every chain verified; checkpoints were missing and not required."
            : "FAILED: the audit log was altered, truncated or is incomplete, or its checkpoints are missing (see above).");
    }
}
