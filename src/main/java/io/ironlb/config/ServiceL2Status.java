package io.ironlb.config;

import io.ironlb.config.Schema.Doc;
import java.util.List;
import java.util.Map;

/** Which node announces a Service on layer 2, written by that node (metallb.io/v1beta1). */
public record ServiceL2Status(ObjectMeta metadata, Map<String, Object> spec, Status status)
    implements MetalLbObject {

  @Override
  public ObjectKind kind() {
    return ObjectKind.SERVICE_L2_STATUS;
  }

  public record Status(
      @Doc("The announcing node.") String node,
      @Doc("The Service's name.") String serviceName,
      @Doc("The Service's namespace.") String serviceNamespace,
      @Doc("Interfaces the node announces from.") List<InterfaceInfo> interfaces) {}

  public record InterfaceInfo(@Doc("Interface name.") String name) {}
}
