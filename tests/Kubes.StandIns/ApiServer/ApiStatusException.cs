namespace Kubes.StandIns.ApiServer;

/// <summary>A refusal the API answers with a Status object: its HTTP code, reason and message, worded as kube-apiserver words them.</summary>
public sealed class ApiStatusException(int code, string reason, string message) : Exception(message)
{
    public int Code => code;

    public string Reason => reason;

    public static ApiStatusException BadRequest(string message) => new(400, "BadRequest", message);

    public static ApiStatusException NotFound(ApiPath path) => new(404, "NotFound", $"{path.QualifiedResource} \"{path.Name}\" not found");

    public static ApiStatusException AlreadyExists(ApiPath path) =>
        new(409, "AlreadyExists", $"{path.QualifiedResource} \"{path.Name}\" already exists");

    public static ApiStatusException Conflict(ApiPath path) => new(409, "Conflict",
        $"Operation cannot be fulfilled on {path.QualifiedResource} \"{path.Name}\": the object has been modified; please apply your changes to the latest version and try again");
}
