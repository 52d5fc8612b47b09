namespace Kubes.Controller.Cli.Commands;

/// <summary>Changes to a cloud need --yes, or a "yes" typed at a terminal.</summary>
public static class Confirmation
{
    public static async Task<bool> ConfirmAsync(bool yes, string question, TextWriter stdout, TextWriter stderr)
    {
        if (yes) return true;
        if (Console.IsInputRedirected)
        {
            await stderr.WriteLineAsync($"error: {question} Nothing was changed: pass --yes to go ahead.");
            return false;
        }
        await stdout.WriteAsync($"{question} Type 'yes' to go ahead: ");
        var answer = Console.ReadLine();
        if (string.Equals(answer?.Trim(), "yes", StringComparison.Ordinal)) return true;
        await stderr.WriteLineAsync("Nothing was changed.");
        return false;
    }
}
