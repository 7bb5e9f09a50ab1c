//===- RTaskAttrs.td - rtask attribute definitions ---------*- tablegen -*-===//
//
// #rtask.vdevice: the virtual device an rProgram runs on.
//
//===----------------------------------------------------------------------===//

#ifndef HEAVYMETAL_DIALECT_RTASK_IR_RTASKATTRS_TD
#define HEAVYMETAL_DIALECT_RTASK_IR_RTASKATTRS_TD

include "HeavyMetal/Dialect/RTask/IR/RTaskDialect.td"
include "mlir/IR/AttrTypeBase.td"

class RTask_Attr<string name, string attrMnemonic, list<Trait> traits = []>
    : AttrDef<RTask_Dialect, name, traits> {
  let mnemonic = attrMnemonic;
}

def RTask_VDeviceAttr : RTask_Attr<"VDevice", "vdevice"> {
  let summary = "A virtual device: a number of virtual execution units";
  let description = [{
    Rammer's vDevice: the set of vEUs (virtual execution units) an rProgram
    is scheduled on. One vEU stands for one resident thread-block slot of the
    GPU; the persistent kernel is launched with one thread block per vEU, and
    vEU `v` is thread block `v`. vEUs are numbered `0` to `veus - 1`.

    ```mlir
    #rtask.vdevice<veus = 80>
    ```
  }];
  let parameters = (ins AttrParameter<"int64_t", "number of vEUs">:$veus);
  let assemblyFormat = "`<` struct(params) `>`";
  let genVerifyDecl = 1;
}

#endif // HEAVYMETAL_DIALECT_RTASK_IR_RTASKATTRS_TD
