package io.ironlb.config;

import io.ironlb.config.Schema.Doc;
import java.util.List;
import java.util.Map;

/** Which peers one node announces a Service to, written by that node (metallb.io/v1beta1). */
public record ServiceBGPStatus(ObjectMeta metadata, Map<String, Object> spec, Status status)
    implements MetalLbObject {

  @Override
  public ObjectKind kind() {
    return ObjectKind.SERVICE_BGP_STATUS;
  }

  public record Status(
      @Doc("The announcing node.") String node,
      @Doc("The Service's name.") String serviceName,
      @Doc("The Service's namespace.") String serviceNamespace,
      @Doc("BGPPeers the Service is announced to.") List<String> peers) {}
}
