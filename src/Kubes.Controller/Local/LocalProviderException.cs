namespace Kubes.Controller.Local;

/// <summary>The local provider could not do what was asked; the message says what to do next.</summary>
public sealed class LocalProviderException : Exception
{
    public LocalProviderException(string message) : base(message)
    {
    }

    public LocalProviderException(string message, Exception inner) : base(message, inner)
    {
    }
}
