namespace Kubes.Controller.Cli;

public static class ExitCodes
{
    public const int Ok = 0;
    /// <summary>The work failed: a cloud error, an unhealthy cluster, a refused request.</summary>
    public const int Failure = 1;
    /// <summary>The input was wrong: a bad flag, an invalid spec. Nothing was changed.</summary>
    public const int BadInput = 2;
}
