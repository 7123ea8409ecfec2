using System.CommandLine;
using Gateway.Compliance.Audit;

namespace Gateway.Cli.Commands;

/// <summary>
/// <c>audit checkpoints export</c>: publishes the signed chain heads. The officer keeps the copy elsewhere (email, a WORM
/// bucket) and later verifies the live log against it (<c>audit verify --checkpoints &lt;copy&gt;</c>): records cut off or
/// rewritten before an exported head are detected even if the gateway's own checkpoints were deleted or replaced.
/// Only checkpoints whose signature verifies against the given public keys are exported.
/// </summary>
internal static class AuditCheckpointsCommand
{
    public static Command Build(CliConsole console)
    {
        var checkpoints = new Option<string?>("--checkpoints") { Description = "Folder of signed checkpoints (checkpoints-{instance}.jsonl)." };
        var postgres = new Option<string?>("--checkpoints-postgres") { Description = "Read the signed checkpoints of every instance from PostgreSQL: an Npgsql connection string without a password." };
        var passwordFile = new Option<string?>("--password-file") { Description = "With --checkpoints-postgres: a file holding the database password." };
        var schema = new Option<string>("--schema") { Description = "With --checkpoints-postgres: the gateway's schema.", DefaultValueFactory = _ => "gateway" };
        var publicKeys = new Option<string[]>("--public-key") { Description = "Checkpoint public key PEM, or a folder of them (repeatable)." };
        var instances = new Option<string[]>("--instance") { Description = "Export only this instance (repeatable)." };
        var output = new Option<string>("--out") { Description = "Folder to write the signed heads to (checkpoints-{instance}.jsonl, the checkpoint folder format).", Required = true };
        var export = new Command("export", "Write the signed checkpoints (chain heads) to a folder kept apart from the gateway, to verify later logs against.")
        {
            checkpoints, postgres, passwordFile, schema, publicKeys, instances, output,
        };
        export.SetAction(async (parse, cancellationToken) =>
        {
            var source = AuditVerifyCommand.CheckpointSource(parse.GetValue(checkpoints), parse.GetValue(postgres), parse.GetValue(passwordFile), parse.GetValue(schema)!)
                ?? throw new UsageException("Give --checkpoints or --checkpoints-postgres.");
            var target = Path.GetFullPath(parse.GetValue(output)!);
            if (parse.GetValue(checkpoints) is { } folder && Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder)) == Path.TrimEndingDirectorySeparator(target))
            {
                throw new UsageException("--out must not be the checkpoint folder it exports.");
            }

            var only = parse.GetValue(instances) is { Length: > 0 } names ? names.ToHashSet(StringComparer.Ordinal) : null;
            var (verified, problems) = await AuditVerifyCommand.ReadCheckpointsAsync(source, parse.GetValue(publicKeys) ?? [], only, cancellationToken);
            foreach (var problem in problems)
            {
                console.Out.WriteLine($"FAILED {problem.Instance}: {problem}");
            }

            Directory.CreateDirectory(target);
            var byInstance = (verified ?? []).GroupBy(c => c.Instance, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
            foreach (var group in byInstance)
            {
                var path = Path.Combine(target, FileCheckpointStore.FileNameFor(group.Key));
                await using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None);
                foreach (var checkpoint in group.OrderBy(c => c.Count))
                {
                    await stream.WriteAsync(FileCheckpointStore.Format(checkpoint), cancellationToken);
                }

                stream.Flush(flushToDisk: true);
                var head = group.MaxBy(c => c.Count)!;
                console.Out.WriteLine($"{group.Key}: head {head.Count} records, {head.HeadHash}, signed {head.Time:O} by {head.KeyId}");
            }

            var count = byInstance.Sum(g => g.Count());
            console.Out.WriteLine($"exported {count} signed checkpoints of {byInstance.Count} instance{(byInstance.Count == 1 ? string.Empty : "s")} to {target}");
            return problems.Count == 0 && count > 0 ? ExitCodes.Success : ExitCodes.Failed;
        });

        return new Command("checkpoints", "Publish the signed checkpoints of the audit chains.") { export };
    }
}
