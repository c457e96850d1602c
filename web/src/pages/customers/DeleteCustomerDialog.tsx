import { useMutation, useQueryClient } from '@tanstack/react-query';
import { errorMessage } from '../../api/errors';
import { queryKeys } from '../../api/queryKeys';
import type { Customer } from '../../api/types';
import { Alert } from '../../components/Alert';
import { Button } from '../../components/Button';
import { Dialog } from '../../components/Dialog';
import { useWorkspace } from '../../workspace/context';

export function DeleteCustomerDialog({ customer, onClose }: { customer: Customer; onClose: (deleted: boolean) => void }) {
  const qc = useQueryClient();
  const { wid, customers } = useWorkspace();
  const remove = useMutation({
    mutationFn: () => customers.remove(customer.id),
    onSuccess: () => {
      qc.invalidateQueries({ queryKey: queryKeys.customers(wid) });
      qc.invalidateQueries({ queryKey: queryKeys.analytics(wid) });
      onClose(true);
    },
  });
  return (
    <Dialog open title="Delete customer?" onClose={() => onClose(false)}>
      <p>
        <strong>{customer.name}</strong> ({customer.email}) and their feedback will be removed. This cannot be undone.
      </p>
      {remove.isError && <Alert tone="error">{errorMessage(remove.error)}</Alert>}
      <div className="dialog-actions">
        <Button variant="secondary" onClick={() => onClose(false)} autoFocus>
          Cancel
        </Button>
        <Button variant="danger" busy={remove.isPending} onClick={() => remove.mutate()}>
          Delete
        </Button>
      </div>
    </Dialog>
  );
}
