using System.Security.Cryptography;

namespace Kubes.Controller.Local;

/// <summary>Instance ids shaped like EC2's long ones: <c>i-</c> and 17 random lower-case hex digits.</summary>
public static class LocalInstanceIds
{
    public static string New() => "i-" + RandomNumberGenerator.GetHexString(17, lowercase: true);
}
