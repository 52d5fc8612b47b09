namespace Kubes.Controller.Local;

/// <summary>The local provider could not do what was asked; the message says what to do next.</summary>
public class LocalProviderException : Exception
{
    public LocalProviderException(string message) : base(message)
    {
    }

    public LocalProviderException(string message, Exception inner) : base(message, inner)
    {
    }
}

/// <summary>
/// This machine already routes part of a cluster's VPC some other way: bringing the VPC here would hide those addresses.
/// Refused before anything is changed, as bad input (exit 2): the operator picks another <c>spec.network.vpcCidr</c>.
/// </summary>
public sealed class LocalNetworkConflictException(string message) : LocalProviderException(message);
