/** `net` (Moddable SDK): the station's MAC and address. */
const Net = {
  // The typings overload get() per name; one implementation answers each with its type.
  get(name: string): any {
    return ({ MAC: "A4:D1:8C:DB:C0:20", IP: "192.168.1.50", SSID: "Plant", BSSID: "00:11:22:33:44:55", RSSI: -50, DNS: ["192.168.1.1"] } as Record<string, unknown>)[name];
  },
} satisfies Pick<typeof import("net").default, "get">;
export default Net;
