namespace Kubes.StandIns;

/// <summary>What a stand-in does, on stderr (where the agent's supervisor and systemd collect a component's log).</summary>
public static class Log
{
    public static string Component { get; set; } = "kubes-stand-in";

    public static void Info(string message) => Console.Error.WriteLine($"{DateTimeOffset.UtcNow:HH:mm:ss.fff} {Component} (Kubes stand-in): {message}");
}
