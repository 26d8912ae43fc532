//! Property views of a host's storage adapters: HBAs, iSCSI targets and the SCSI topology.

use crate::vi::types::vim_type;

vim_type!(HostInternetScsiHbaStaticTarget {
    address: String = "address",
    port: Option<i32> = "port",
    iqn: String = "iScsiName",
});

vim_type!(HostHostBusAdapter {
    key: String = "key",
    device: String = "device",
    static_targets: Vec<HostInternetScsiHbaStaticTarget> = "configuredStaticTarget",
});

vim_type!(HostScsiTopologyLun {
    scsi_lun: String = "scsiLun",
});

vim_type!(HostScsiTopologyTarget {
    iqn: String = "transport.iScsiName",
    luns: Vec<HostScsiTopologyLun> = "lun",
});

vim_type!(HostScsiTopologyInterface {
    adapter: String = "adapter",
    targets: Vec<HostScsiTopologyTarget> = "target",
});

vim_type!(HostScsiDisk {
    key: String = "key",
    uuid: String = "uuid",
    device_name: String = "deviceName",
    device_path: String = "devicePath",
    block_size: i64 = "capacity.blockSize",
    blocks: i64 = "capacity.block",
});
