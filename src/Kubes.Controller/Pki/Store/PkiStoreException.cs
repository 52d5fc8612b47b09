namespace Kubes.Controller.Pki.Store;

/// <summary>The PKI could not be saved or loaded; the message names the file and the next step.</summary>
public sealed class PkiStoreException(string message, Exception? inner = null) : Exception(message, inner);
