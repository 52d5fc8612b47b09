using Google.Protobuf;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;
using Kubes.Protos.V1;
using RegistrarContract = Kubes.Protos.V1.Registrar;

namespace Kubes.Controller.Channels.Grpc;

/// <summary>
/// The Registrar service's methods, bound by hand instead of by the generated binder so that a request that is not
/// the message it claims to be is refused as InvalidArgument with a one-line reason. The generated marshaller throws
/// the parser's exception, which gRPC answers as Unknown and logs with two stack traces per message.
/// </summary>
internal sealed class RegistrarMethods : IServiceMethodProvider<RegistrarGrpcService>
{
    public void OnServiceMethodDiscovery(ServiceMethodProviderContext<RegistrarGrpcService> context)
    {
        context.AddUnaryMethod(Unary("Join", JoinRequest.Parser, JoinResponse.Parser), [],
            (service, request, call) => service.Join(request, call));
        context.AddUnaryMethod(Unary("Certify", CertifyRequest.Parser, CertifyResponse.Parser), [],
            (service, request, call) => service.Certify(request, call));
        context.AddUnaryMethod(Unary("Report", ReportRequest.Parser, ReportResponse.Parser), [],
            (service, request, call) => service.Report(request, call));
        context.AddServerStreamingMethod(
            new Method<WatchRequest, WatchEvent>(MethodType.ServerStreaming, ServiceName, "Watch", Strict(WatchRequest.Parser), Plain(WatchEvent.Parser)),
            [], (service, request, stream, call) => service.Watch(request, stream, call));
    }

    private static string ServiceName => RegistrarContract.Descriptor.FullName;

    private static Method<TRequest, TResponse> Unary<TRequest, TResponse>(string name, MessageParser<TRequest> request,
        MessageParser<TResponse> response)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse> =>
        new(MethodType.Unary, ServiceName, name, Strict(request), Plain(response));

    private static Marshaller<T> Strict<T>(MessageParser<T> parser) where T : class, IMessage<T> =>
        Marshallers.Create(message => message.ToByteArray(), bytes =>
        {
            try
            {
                return parser.ParseFrom(bytes);
            }
            catch (InvalidProtocolBufferException e)
            {
                throw new RpcException(new global::Grpc.Core.Status(StatusCode.InvalidArgument,
                    $"the request is not a {typeof(T).Name} message: {e.Message}"));
            }
        });

    private static Marshaller<T> Plain<T>(MessageParser<T> parser) where T : class, IMessage<T> =>
        Marshallers.Create(message => message.ToByteArray(), parser.ParseFrom);
}
