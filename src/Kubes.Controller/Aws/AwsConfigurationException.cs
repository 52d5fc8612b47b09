namespace Kubes.Controller.Aws;

/// <summary>The operator's AWS settings (credentials, region, endpoint variables) cannot be used; the message says which and how to fix it.</summary>
public sealed class AwsConfigurationException(string message, Exception? innerException = null) : Exception(message, innerException);
