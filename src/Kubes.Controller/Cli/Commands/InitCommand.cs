using System.CommandLine;
using Kubes.Controller.Spec;

namespace Kubes.Controller.Cli.Commands;

/// <summary><c>kubes init --name NAME [--region R] [--local]</c>: prints a complete, commented spec with every default.</summary>
public static class InitCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var name = new Option<string>("--name", "-n")
        {
            Description = $"The cluster's name: a DNS-1123 label of at most {SpecLimits.MaxNameLength} characters",
            HelpName = "NAME",
            Required = true,
        };
        var region = new Option<string?>("--region")
        {
            Description = $"The AWS region [default: {ClusterSpecDefaults.DefaultAwsRegion}]",
            HelpName = "REGION",
        };
        var local = CommonOptions.Local();
        var command = new Command("init", "Print a complete, commented cluster spec; save it with 'kubes init --name NAME > cluster.yaml'")
        {
            name, region, local,
        };
        command.SetAction(async (parse, _) =>
        {
            var chosenRegion = parse.GetValue(region);
            if (parse.GetValue(local) && chosenRegion is not null)
            {
                await stderr.WriteLineAsync($"error: --region applies to AWS; the local provider's region is {ClusterSpecDefaults.LocalRegion}. Drop --region or --local.");
                return ExitCodes.BadInput;
            }
            var clusterName = parse.GetRequiredValue(name);
            var spec = parse.GetValue(local)
                ? ClusterSpecDefaults.Local(clusterName)
                : ClusterSpecDefaults.Aws(clusterName, chosenRegion ?? ClusterSpecDefaults.DefaultAwsRegion);
            var problems = SpecValidator.Validate(spec);
            if (problems.Count > 0)
            {
                foreach (var problem in problems)
                    await stderr.WriteLineAsync($"error: {FlagOf(problem.Path)}: {problem.Message}");
                return ExitCodes.BadInput;
            }
            await stdout.WriteAsync(ClusterSpecWriter.Write(spec));
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>The flag a problem of the generated spec came from; the defaults themselves are always valid.</summary>
    private static string FlagOf(string path) => path switch
    {
        "metadata.name" => "--name",
        "spec.region" or "spec.zones" => "--region",
        _ when path.StartsWith("spec.zones[", StringComparison.Ordinal) => "--region",
        // The local VPC, the state store and the rest derive from the name.
        _ => "--name",
    };
}
