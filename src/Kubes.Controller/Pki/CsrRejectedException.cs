namespace Kubes.Controller.Pki;

/// <summary>A certificate signing request the PKI will not sign; <see cref="Reason"/> says why, for the agent's report.</summary>
public sealed class CsrRejectedException(string reason)
    : Exception($"certificate signing request refused: {reason}")
{
    public string Reason { get; } = reason;
}
